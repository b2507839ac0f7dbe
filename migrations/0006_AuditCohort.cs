using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(6, "The cohort an audit's sample was drawn from")]
public sealed class M0006_AuditCohort() : ScriptMigration("0006_audit_cohort");
