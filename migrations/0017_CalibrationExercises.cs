using FluentMigrator;

namespace AuditTool.Data.Migrations;

[Migration(17, "Calibration exercises: one anonymised case graded blind by the auditors taking part, against a scrutineer's reference grades")]
public sealed class M0017_CalibrationExercises() : ScriptMigration("0017_calibration_exercises");
