using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(12, "Evidence quotes on findings")]
public sealed class M0012_FindingQuotes() : ScriptMigration("0012_finding_quotes");
