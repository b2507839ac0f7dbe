using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(13, "Sessions kept on the server; audit log lines name their audit, case and agency and mark case content")]
public sealed class M0013_SessionsAndLogSubjects() : ScriptMigration("0013_sessions_and_log_subjects");
