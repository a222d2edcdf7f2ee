"""Serializers of the tna API."""

from rest_framework import serializers

from ..models import Competency, CompetencyLevel


class CompetencyLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyLevel
        fields = ["level", "descriptor", "descriptor_en"]


class CompetencySerializer(serializers.ModelSerializer):
    levels = CompetencyLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["code", "name", "name_en", "group", "category", "description", "description_en", "levels"]
