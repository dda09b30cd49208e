# A submission belongs to a task (the model formerly called Assignment).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coursework", "0005_rename_assignment_to_task"),
        ("portfolio", "0002_version_is_latest"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="submission", name="submission_unique_student"),
        migrations.RenameField(model_name="submission", old_name="assignment", new_name="task"),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.UniqueConstraint(fields=("task", "student"), name="submission_unique_student"),
        ),
    ]
