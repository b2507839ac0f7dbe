using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(42, "A scrutineer's confirmation that one question key asks the same thing in two templates")]
public sealed class M0042_SameMeasures() : ScriptMigration("0042_same_measures");
