namespace AuditTool.Domain.Accounts;

public interface IUserRepository
{
    Task<User?> GetByIdAsync(long id);

    Task<User?> GetByUserNameAsync(string userName);

    Task<IReadOnlyList<User>> GetAllAsync();

    Task<int> CountAsync();

    /// <summary>Creates the user; returns null when the user name is already taken (nothing is written).</summary>
    Task<long?> CreateAsync(User user);

    Task ReplaceAsync(User user);
}

/// <summary>Hashing lives outside the domain (ASP.NET Core's PasswordHasher in the web project).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    /// <summary>True when the password matches; <paramref name="rehash"/> is set when the stored hash should be upgraded.</summary>
    bool Verify(string hash, string password, out bool rehash);
}
