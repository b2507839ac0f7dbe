using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(4, "Append-only audit log")]
public sealed class M0004_CreateAuditLog() : ScriptMigration("0004_create_audit_log");
