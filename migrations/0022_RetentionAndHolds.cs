using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(22, "Retention per audit, legal holds, the disclosure record, and disposal that may blank case content in the audit log and re-anchor its chain")]
public sealed class M0022_RetentionAndHolds() : ScriptMigration("0022_retention_and_holds");
