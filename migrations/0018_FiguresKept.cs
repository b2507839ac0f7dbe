using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(18, "A published audit's figures kept as computed; a change counter on each audit for the figures of open ones")]
public sealed class M0018_FiguresKept() : ScriptMigration("0018_figures_kept");
