using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(3, "Audits, cases, returns, answers, moderation, findings and actions")]
public sealed class M0003_CreateAudits() : ScriptMigration("0003_create_audits");
