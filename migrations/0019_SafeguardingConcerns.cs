using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(19, "Safeguarding concerns raised while auditing (raised, acknowledged, action recorded, closed), and the safeguarding lead flag of accounts")]
public sealed class M0019_SafeguardingConcerns() : ScriptMigration("0019_safeguarding_concerns");
