# One word in code and URLs: the task table's model is Task, and everything pointing at it says "task".
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coursework", "0004_course_results_changed_at"),
        ("grading", "0002_assessment_controls_locks_signoffs"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="assignment", name="assignment_unique_label"),
        migrations.RemoveConstraint(model_name="assignment", name="assignment_due_week_positive"),
        migrations.RemoveConstraint(model_name="assignment", name="assignment_max_points_non_negative"),
        migrations.RemoveConstraint(model_name="extension", name="extension_unique_student"),
        migrations.RenameModel(old_name="Assignment", new_name="Task"),
        migrations.RenameField(model_name="extension", old_name="assignment", new_name="task"),
        migrations.AlterField(
            model_name="task",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tasks",
                to="coursework.course",
                verbose_name="course",
            ),
        ),
        migrations.AlterField(
            model_name="task",
            name="rubric",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="tasks",
                to="grading.rubric",
                verbose_name="rubric",
            ),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.UniqueConstraint(fields=("course", "label"), name="task_unique_label"),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(condition=models.Q(("due_week__gte", 1)), name="task_due_week_positive"),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_points__isnull", True), ("max_points__gte", 0), _connector="OR"),
                name="task_max_points_non_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="extension",
            constraint=models.UniqueConstraint(fields=("task", "student"), name="extension_unique_student"),
        ),
    ]
