"""Agencies' own evaluation questions, behaviour follow-ups and evaluation reminders; training admins and
planners keep their agency's questions (lms.admin.reaction)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLES = ["training_admin", "planner"]
CODENAMES = ["%s_reactionquestion" % action for action in ("add", "change", "delete", "view")]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = list(Permission.objects.filter(content_type__app_label="lms", codename__in=CODENAMES))
    missing = set(CODENAMES) - {p.codename for p in found}
    if missing:
        raise RuntimeError("lms permissions missing: %s" % ", ".join(sorted(missing)))
    return found


def grant(apps, schema_editor):
    # Model permissions are normally created after migrate (post_migrate); create lms's now.
    lms = apps.get_app_config("lms")
    lms.models_module = True
    try:
        create_permissions(lms, apps=apps, verbosity=0)
    finally:
        lms.models_module = None
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0006_session_trainer'),
        ('lms', '0005_training_history'),
        ('tna', '0010_import_jobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='ReactionQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(help_text='Answered from 1 (poor) to 5 (excellent), e.g. "The materials were up to date".', max_length=300, verbose_name='question')),
                ('text_en', models.CharField(blank=True, max_length=300, verbose_name='question in English')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, help_text='Lower numbers come first, after the four standard questions.', verbose_name='order')),
                ('active', models.BooleanField(default=True, help_text='Turn off to stop asking it; answers already given are kept.', verbose_name='asked')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reaction_questions', to='tna.agency', verbose_name='agency')),
            ],
            options={
                'verbose_name': 'evaluation question',
                'verbose_name_plural': 'evaluation questions',
                'ordering': ['agency', 'sort_order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='EvaluationReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('reaction', 'rate the course'), ('followup_learner', 'follow-up, learner'), ('followup_supervisor', 'follow-up, supervisor')], max_length=20, verbose_name='kind')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent')),
                ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_reminders', to='lms.enrollment')),
            ],
            options={
                'verbose_name': 'evaluation reminder',
                'verbose_name_plural': 'evaluation reminders',
                'indexes': [models.Index(fields=['enrollment', 'kind'], name='lms_eval_reminder_enrollment')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['reaction', 'followup_learner', 'followup_supervisor'])), name='lms_eval_reminder_kind_valid')],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('respondent', models.CharField(choices=[('learner', 'learner'), ('supervisor', 'supervisor')], max_length=10, verbose_name='answered as')),
                ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='used at work')),
                ('example', models.TextField(blank=True, verbose_name='example')),
                ('answered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='answered')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='lms.enrollment')),
            ],
            options={
                'verbose_name': 'training follow-up',
                'verbose_name_plural': 'training follow-ups',
                'constraints': [models.UniqueConstraint(fields=('enrollment', 'respondent'), name='lms_follow_up_once'), models.CheckConstraint(condition=models.Q(('score__range', (1, 5))), name='lms_follow_up_score_1_5'), models.CheckConstraint(condition=models.Q(('respondent__in', ['learner', 'supervisor'])), name='lms_follow_up_respondent_valid')],
            },
        ),
        migrations.CreateModel(
            name='ReactionAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='score')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='lms.evaluation')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='lms.reactionquestion')),
            ],
            options={
                'verbose_name': 'evaluation answer',
                'verbose_name_plural': 'evaluation answers',
                'constraints': [models.UniqueConstraint(fields=('evaluation', 'question'), name='lms_reaction_answer_unique'), models.CheckConstraint(condition=models.Q(('score__range', (1, 5))), name='lms_reaction_answer_1_5')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
