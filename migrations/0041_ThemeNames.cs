using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(41, "Template versions carry their own names for their themes")]
public sealed class M0041_ThemeNames() : ScriptMigration("0041_theme_names");
