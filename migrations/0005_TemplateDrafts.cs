using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(5, "Template drafts kept as one working document")]
public sealed class M0005_TemplateDrafts() : ScriptMigration("0005_template_drafts");
