using System.Data.Common;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// Accounts. Every write names only the columns it owns: nothing here reads a user and writes the whole row back, so
/// concurrent changes (a sign-in in flight and a disable, say) can never undo each other.
/// </summary>
public sealed class UserRepository(ConnectionFactory factory) : IUserRepository
{
    internal const string Columns = """
        id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, agency_id AS AgencyId,
        password_hash AS PasswordHash, is_disabled AS IsDisabled, failed_sign_ins AS FailedSignIns,
        lockout_end_utc AS LockoutEndUtc, security_stamp AS SecurityStamp, created_utc AS CreatedUtc, email AS Email,
        safeguarding_lead AS SafeguardingLead
        """;

    public async Task<User?> GetByIdAsync(long id)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {Columns} FROM users WHERE id = @id", new { id });
        return row?.ToUser();
    }

    public async Task<User?> GetByUserNameAsync(string userName)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(
            $"SELECT {Columns} FROM users WHERE user_name = @userName", new { userName });
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<User>> GetManyByEmailAsync(string email)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<UserRow>(
            $"SELECT {Columns} FROM users WHERE LOWER(email) = LOWER(@email) ORDER BY id", new { email = email.Trim() });
        return rows.Select(r => r.ToUser()).ToList();
    }

    public async Task<IReadOnlyList<User>> GetAllAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<UserRow>($"SELECT {Columns} FROM users ORDER BY user_name");
        return rows.Select(r => r.ToUser()).ToList();
    }

    public async Task<int> CountAsync()
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users");
    }

    public async Task<long?> CreateAsync(User user, AuditLogEntry? log = null)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO users (user_name, display_name, role, agency_id, password_hash, is_disabled, failed_sign_ins,
                                   lockout_end_utc, security_stamp, created_utc, email)
                VALUES (@UserName, @DisplayName, @Role, @AgencyId, @PasswordHash, @IsDisabled, @FailedSignIns,
                        @LockoutEndUtc, @SecurityStamp, @CreatedUtc, @Email)
                RETURNING id
                """, new
                {
                    user.UserName,
                    user.DisplayName,
                    Role = user.Role.ToKey(),
                    user.AgencyId,
                    user.PasswordHash,
                    IsDisabled = user.IsDisabled ? 1 : 0,
                    user.FailedSignIns,
                    LockoutEndUtc = Utc.Format(user.LockoutEndUtc),
                    user.SecurityStamp,
                    CreatedUtc = Utc.Format(user.CreatedUtc),
                    user.Email,
                }, tx);
        }
        catch (DbException ex) when (ConnectionFactory.IsUniqueViolation(ex, "users", "user_name"))
        {
            return null;
        }

        if (log is not null)
        {
            await AuditLogWriter.WriteAsync(connection, tx, log with { EntityId = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        await tx.CommitAsync();
        return id;
    }

    public async Task<int?> CountSignInAttemptAsync(long userId, DateTimeOffset now, int maxFailures, DateTimeOffset lockedUntil)
    {
        using var connection = await factory.OpenAsync();
        // One statement, so the database counts parallel attempts one at a time and each sees the count the previous
        // one wrote. A lock that has run out starts the count again at 1.
        return await connection.QuerySingleOrDefaultAsync<int?>("""
            UPDATE users SET
                failed_sign_ins = CASE WHEN lockout_end_utc IS NULL THEN failed_sign_ins + 1 ELSE 1 END,
                lockout_end_utc = CASE WHEN (CASE WHEN lockout_end_utc IS NULL THEN failed_sign_ins + 1 ELSE 1 END) >= @maxFailures
                                       THEN @until ELSE NULL END
            WHERE id = @userId AND (lockout_end_utc IS NULL OR lockout_end_utc <= @now)
            RETURNING failed_sign_ins
            """, new { userId, maxFailures, until = Utc.Format(lockedUntil), now = Utc.Format(now) });
    }

    public async Task<User?> CompleteSignInAsync(long userId, string checkedStamp, NewSession session, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>($"""
            UPDATE users SET failed_sign_ins = 0, lockout_end_utc = NULL, last_sign_in_utc = @now, last_sign_in_method = @Method
            WHERE id = @userId AND is_disabled = 0 AND security_stamp = @checkedStamp
            RETURNING {Columns}
            """, new { userId, checkedStamp, now = Utc.Format(session.CreatedUtc), session.Method }, tx);
        if (row is null)
        {
            return null;
        }

        await connection.ExecuteAsync("""
            INSERT INTO sessions (id, user_id, method, created_utc, expires_utc) VALUES (@Id, @userId, @Method, @created, @expires)
            """, new { session.Id, userId, session.Method, created = Utc.Format(session.CreatedUtc), expires = Utc.Format(session.ExpiresUtc) }, tx);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return row.ToUser();
    }

    public async Task UpgradePasswordHashAsync(long userId, string checkedHash, string upgradedHash)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET password_hash = @upgradedHash WHERE id = @userId AND password_hash = @checkedHash",
            new { userId, checkedHash, upgradedHash });
    }

    public async Task<IReadOnlyDictionary<long, (DateTimeOffset At, string Method)>> GetLastSignInsAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(long Id, string At, string? Method)>(
            "SELECT id, last_sign_in_utc, last_sign_in_method FROM users WHERE last_sign_in_utc IS NOT NULL");
        return rows.ToDictionary(r => r.Id, r => (Utc.Parse(r.At), r.Method ?? "password"));
    }

    public Task<bool> SetRoleAsync(long userId, Role role, long? agencyId, DateTimeOffset now, AuditLogEntry log) =>
        ChangeAsync(userId, "UPDATE users SET role = @role, agency_id = @agencyId, security_stamp = @stamp WHERE id = @userId",
            new { userId, role = role.ToKey(), agencyId, stamp = User.NewStamp() }, now, "role changed", log);

    public Task<bool> SetEmailAsync(long userId, string? email, AuditLogEntry log) =>
        ChangeAsync(userId, "UPDATE users SET email = @email WHERE id = @userId", new { userId, email }, null, null, log);

    public Task<bool> SetSafeguardingLeadAsync(long userId, bool lead, AuditLogEntry log) =>
        ChangeAsync(userId, "UPDATE users SET safeguarding_lead = @lead WHERE id = @userId", new { userId, lead = lead ? 1 : 0 }, null, null, log);

    public Task<bool> SetDisabledAsync(long userId, bool disabled, DateTimeOffset now, AuditLogEntry log) => disabled
        ? ChangeAsync(userId, "UPDATE users SET is_disabled = 1, security_stamp = @stamp WHERE id = @userId",
            new { userId, stamp = User.NewStamp() }, now, "account disabled", log)
        : ChangeAsync(userId, "UPDATE users SET is_disabled = 0, failed_sign_ins = 0, lockout_end_utc = NULL WHERE id = @userId",
            new { userId }, null, null, log);

    public Task<bool> SetPasswordHashAsync(long userId, string passwordHash, DateTimeOffset now, AuditLogEntry log) =>
        ChangeAsync(userId, """
            UPDATE users SET password_hash = @passwordHash, failed_sign_ins = 0, lockout_end_utc = NULL, security_stamp = @stamp
            WHERE id = @userId
            """, new { userId, passwordHash, stamp = User.NewStamp() }, now, "password changed", log);

    /// <summary>One change of an account's own columns, the end of its sessions when access changed, and the log line: one transaction.</summary>
    private Task<bool> ChangeAsync(long userId, string sql, object parameters, DateTimeOffset? endSessionsAt, string? reason, AuditLogEntry log) =>
        AuditLogWriter.ChangeOneRowAsync(factory, sql, parameters, log, endSessionsAt is { } now
            ? (connection, tx) => SessionRepository.EndAllAsync(connection, tx, userId, now, reason!)
            : null);

    internal sealed class UserRow
    {
        public long Id { get; set; }
        public string UserName { get; set; } = string.Empty;
        public string DisplayName { get; set; } = string.Empty;
        public string Role { get; set; } = string.Empty;
        public long? AgencyId { get; set; }
        public string PasswordHash { get; set; } = string.Empty;
        public long IsDisabled { get; set; }
        public long FailedSignIns { get; set; }
        public string? LockoutEndUtc { get; set; }
        public string SecurityStamp { get; set; } = string.Empty;
        public string CreatedUtc { get; set; } = string.Empty;
        public string? Email { get; set; }
        public long SafeguardingLead { get; set; }

        public User ToUser() => User.Load(Id, UserName, DisplayName, Roles.Parse(Role) ?? throw new InvalidDataException($"Unknown role '{Role}'."),
            AgencyId, PasswordHash, IsDisabled != 0, (int)FailedSignIns, Utc.ParseOrNull(LockoutEndUtc), SecurityStamp,
            Utc.Parse(CreatedUtc), Email, SafeguardingLead != 0);
    }
}
