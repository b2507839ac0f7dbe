using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(21, "Answers know when each of their fields last changed; returns count their sendings back")]
public sealed class M0021_AnswerFieldTimesAndAmendments() : ScriptMigration("0021_answer_field_times_and_amendments");
