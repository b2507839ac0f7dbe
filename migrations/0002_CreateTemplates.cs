using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(2, "Templates, versions, sections and questions")]
public sealed class M0002_CreateTemplates() : ScriptMigration("0002_create_templates");
