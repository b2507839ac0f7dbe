using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(10, "E-mail addresses and the notice outbox")]
public sealed class M0010_NoticeOutbox() : ScriptMigration("0010_notice_outbox");
