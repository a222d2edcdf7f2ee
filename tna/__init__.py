"""Training-needs analysis: organisation, people, competencies, evidence and gaps."""
