using System.Data.Common;
using System.Globalization;
using AuditTool.Domain.Calibration;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>Calibration exercises; each change guarded by the state it needs, with its log line, in one write transaction.</summary>
public sealed class CalibrationRepository(ConnectionFactory factory) : ICalibrationRepository
{
    private const string Select = """
        SELECT x.id AS Id, x.title AS Title, x.template_version_id AS TemplateVersionId, t.id AS TemplateId, t.key AS TemplateKey,
               v.version AS TemplateVersion, v.title AS TemplateTitle, x.summary AS Summary, x.state AS State,
               x.planned_by_name AS PlannedByName, x.planned_utc AS PlannedUtc, x.closed_name AS ClosedName, x.closed_utc AS ClosedUtc
        FROM calibration_exercises x JOIN template_versions v ON v.id = x.template_version_id JOIN templates t ON t.id = v.template_id
        """;

    public async Task<long> CreateAsync(NewCalibration exercise, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO calibration_exercises (title, template_version_id, summary, state, planned_by, planned_by_name, planned_utc)
            VALUES (@Title, @TemplateVersionId, @Summary, 'open', @PlannedBy, @PlannedByName, @at)
            RETURNING id
            """, new { exercise.Title, exercise.TemplateVersionId, exercise.Summary, exercise.PlannedBy, exercise.PlannedByName, at = Utc.Format(exercise.PlannedUtc) }, tx);
        foreach (var userId in exercise.AuditorIds)
        {
            await connection.ExecuteAsync("INSERT INTO calibration_participants (exercise_id, user_id) VALUES (@id, @userId)", new { id, userId }, tx);
        }

        await AuditLogWriter.WriteAsync(connection, tx, log with { EntityId = id.ToString(CultureInfo.InvariantCulture) });
        await tx.CommitAsync();
        return id;
    }

    public async Task<CalibrationExercise?> GetByIdAsync(long id) => (await ReadAsync($"{Select} WHERE x.id = @id", new { id })).SingleOrDefault();

    public Task<IReadOnlyList<CalibrationExercise>> GetAllAsync() => ReadAsync($"{Select} ORDER BY x.id", null);

    public async Task<bool> SaveGradeAsync(long exerciseId, long userId, string questionKey, string value, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        if (!await MayGradeAsync(connection, tx, exerciseId, userId))
        {
            return false;
        }

        await connection.ExecuteAsync("""
            INSERT INTO calibration_grades (exercise_id, user_id, question_key, value, saved_utc) VALUES (@exerciseId, @userId, @questionKey, @value, @now)
            ON CONFLICT (exercise_id, user_id, question_key) DO UPDATE SET value = excluded.value, saved_utc = excluded.saved_utc
            """, new { exerciseId, userId, questionKey, value, now = Utc.Format(now) }, tx);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    public Task<bool> SubmitAsync(long exerciseId, long userId, DateTimeOffset now, AuditLogEntry log) => StepAsync("""
        UPDATE calibration_participants SET submitted_utc = @now
        WHERE exercise_id = @exerciseId AND user_id = @userId AND submitted_utc IS NULL
          AND EXISTS (SELECT 1 FROM calibration_exercises WHERE id = @exerciseId AND state = 'open')
        """, new { exerciseId, userId, now = Utc.Format(now) }, log);

    public async Task<bool> SetReferenceAsync(long exerciseId, string questionKey, string value, string userName, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        await connection.ExecuteAsync("""
            INSERT INTO calibration_references (exercise_id, question_key, value, set_by_name, set_utc) VALUES (@exerciseId, @questionKey, @value, @userName, @now)
            ON CONFLICT (exercise_id, question_key) DO UPDATE SET value = excluded.value, set_by_name = excluded.set_by_name, set_utc = excluded.set_utc
            """, new { exerciseId, questionKey, value, userName, now = Utc.Format(now) }, tx);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    public Task<bool> CloseAsync(long exerciseId, long? userId, string userName, DateTimeOffset now, AuditLogEntry log) => StepAsync("""
        UPDATE calibration_exercises SET state = 'closed', closed_by = @userId, closed_name = @userName, closed_utc = @now
        WHERE id = @exerciseId AND state = 'open'
        """, new { exerciseId, userId, userName, now = Utc.Format(now) }, log);

    private static async Task<bool> MayGradeAsync(DbConnection connection, DbTransaction tx, long exerciseId, long userId) =>
        await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM calibration_participants p JOIN calibration_exercises x ON x.id = p.exercise_id
            WHERE p.exercise_id = @exerciseId AND p.user_id = @userId AND p.submitted_utc IS NULL AND x.state = 'open'
            """, new { exerciseId, userId }, tx) == 1;

    private Task<bool> StepAsync(string sql, object parameters, AuditLogEntry log) => AuditLogWriter.ChangeOneRowAsync(factory, sql, parameters, log);

    private async Task<IReadOnlyList<CalibrationExercise>> ReadAsync(string sql, object? parameters)
    {
        using var connection = await factory.OpenAsync();
        var rows = (await connection.QueryAsync<Row>(sql, parameters)).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToHashSet();
        var participants = (await connection.QueryAsync<ParticipantRow>("""
                SELECT p.exercise_id AS ExerciseId, p.user_id AS UserId, u.display_name AS DisplayName, a.name AS AgencyName, p.submitted_utc AS SubmittedUtc
                FROM calibration_participants p JOIN users u ON u.id = p.user_id LEFT JOIN agencies a ON a.id = u.agency_id
                ORDER BY u.display_name, p.user_id
                """)).Where(p => ids.Contains(p.ExerciseId)).ToLookup(p => p.ExerciseId);
        var grades = (await connection.QueryAsync<(long ExerciseId, long UserId, string QuestionKey, string Value)>(
                "SELECT exercise_id, user_id, question_key, value FROM calibration_grades ORDER BY exercise_id, user_id, question_key"))
            .Where(g => ids.Contains(g.ExerciseId)).ToLookup(g => g.ExerciseId);
        var references = (await connection.QueryAsync<(long ExerciseId, string QuestionKey, string Value)>(
                "SELECT exercise_id, question_key, value FROM calibration_references ORDER BY exercise_id, question_key"))
            .Where(r => ids.Contains(r.ExerciseId)).ToLookup(r => r.ExerciseId);
        return rows.Select(r => new CalibrationExercise(r.Id, r.Title, r.TemplateVersionId, r.TemplateId, r.TemplateKey, r.TemplateVersion,
            r.TemplateTitle, r.Summary, r.State, r.PlannedByName, Utc.Parse(r.PlannedUtc), r.ClosedName, Utc.ParseOrNull(r.ClosedUtc),
            participants[r.Id].Select(p => new CalibrationParticipant(p.UserId, p.DisplayName, p.AgencyName, Utc.ParseOrNull(p.SubmittedUtc))).ToList(),
            grades[r.Id].Select(g => new CalibrationGrade(g.UserId, g.QuestionKey, g.Value)).ToList(),
            references[r.Id].Select(x => new CalibrationReference(x.QuestionKey, x.Value)).ToList())).ToList();
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Title { get; set; } = string.Empty;
        public long TemplateVersionId { get; set; }
        public long TemplateId { get; set; }
        public string TemplateKey { get; set; } = string.Empty;
        public int TemplateVersion { get; set; }
        public string TemplateTitle { get; set; } = string.Empty;
        public string Summary { get; set; } = string.Empty;
        public string State { get; set; } = string.Empty;
        public string PlannedByName { get; set; } = string.Empty;
        public string PlannedUtc { get; set; } = string.Empty;
        public string? ClosedName { get; set; }
        public string? ClosedUtc { get; set; }
    }

    private sealed class ParticipantRow
    {
        public long ExerciseId { get; set; }
        public long UserId { get; set; }
        public string DisplayName { get; set; } = string.Empty;
        public string? AgencyName { get; set; }
        public string? SubmittedUtc { get; set; }
    }
}
