using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(40, "Audits gain a reliability threshold: Krippendorff's alpha or weighted kappa below it is flagged (default 0.67)")]
public sealed class M0040_ReliabilityThreshold() : ScriptMigration("0040_reliability_threshold");
