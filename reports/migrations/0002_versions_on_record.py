"""On PostgreSQL the database keeps reports on record, whoever connects
(issue 11, point 6): a version once made never changes and is never deleted,
its files neither, and a submission (who, when, which version, to which
department) is never changed nor deleted; only its email's delivery is
noted on it."""

from django.db import migrations

GUARDS = """
CREATE OR REPLACE FUNCTION reports_version_on_record() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'done' THEN
        RAISE EXCEPTION 'report version % is made: it is kept as it is', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_version_on_record
    BEFORE UPDATE OR DELETE ON reports_reportversion
    FOR EACH ROW EXECUTE FUNCTION reports_version_on_record();

CREATE OR REPLACE FUNCTION reports_row_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are kept as written', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_file_append_only
    BEFORE UPDATE OR DELETE ON reports_reportfile
    FOR EACH ROW EXECUTE FUNCTION reports_row_append_only();

CREATE OR REPLACE FUNCTION reports_submission_on_record() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR NEW.version_id IS DISTINCT FROM OLD.version_id
       OR NEW.department_id IS DISTINCT FROM OLD.department_id
       OR NEW.submitted_by_id IS DISTINCT FROM OLD.submitted_by_id
       OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at
       OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key
       OR NEW.emailed_to IS DISTINCT FROM OLD.emailed_to THEN
        RAISE EXCEPTION 'submission % is on record: only its email delivery is noted',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_submission_on_record
    BEFORE UPDATE OR DELETE ON reports_submission
    FOR EACH ROW EXECUTE FUNCTION reports_submission_on_record();
"""

REMOVE = """
DROP TRIGGER IF EXISTS reports_submission_on_record ON reports_submission;
DROP TRIGGER IF EXISTS reports_file_append_only ON reports_reportfile;
DROP TRIGGER IF EXISTS reports_version_on_record ON reports_reportversion;
DROP FUNCTION IF EXISTS reports_submission_on_record();
DROP FUNCTION IF EXISTS reports_row_append_only();
DROP FUNCTION IF EXISTS reports_version_on_record();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
