using System.Data.Common;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AuditTool.Data;

public sealed class UserRepository(ConnectionFactory factory) : IUserRepository
{
    private const string Columns = """
        id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, agency_id AS AgencyId,
        password_hash AS PasswordHash, is_disabled AS IsDisabled, failed_sign_ins AS FailedSignIns,
        lockout_end_utc AS LockoutEndUtc, security_stamp AS SecurityStamp, created_utc AS CreatedUtc, email AS Email
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

    public async Task<long?> CreateAsync(User user)
    {
        using var connection = await factory.OpenAsync();
        try
        {
            return await connection.ExecuteScalarAsync<long>("""
                INSERT INTO users (user_name, display_name, role, agency_id, password_hash, is_disabled, failed_sign_ins,
                                   lockout_end_utc, security_stamp, created_utc, email)
                VALUES (@UserName, @DisplayName, @Role, @AgencyId, @PasswordHash, @IsDisabled, @FailedSignIns,
                        @LockoutEndUtc, @SecurityStamp, @CreatedUtc, @Email)
                RETURNING id
                """, Parameters(user));
        }
        catch (DbException ex) when (ConnectionFactory.IsUniqueViolation(ex, "users", "user_name"))
        {
            return null;
        }
    }

    public async Task ReplaceAsync(User user)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE users SET display_name = @DisplayName, role = @Role, agency_id = @AgencyId, password_hash = @PasswordHash,
                             is_disabled = @IsDisabled, failed_sign_ins = @FailedSignIns, lockout_end_utc = @LockoutEndUtc,
                             security_stamp = @SecurityStamp, email = @Email
            WHERE id = @Id
            """, Parameters(user));
    }

    private static object Parameters(User user) => new
    {
        user.Id,
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
    };

    private sealed class UserRow
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

        public User ToUser() => User.Load(Id, UserName, DisplayName, Roles.Parse(Role) ?? throw new InvalidDataException($"Unknown role '{Role}'."),
            AgencyId, PasswordHash, IsDisabled != 0, (int)FailedSignIns, Utc.ParseOrNull(LockoutEndUtc), SecurityStamp,
            Utc.Parse(CreatedUtc), Email);
    }
}
