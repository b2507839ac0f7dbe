using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AuditTool.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests, from Debian's <c>postgresql</c> package (./test.sh installs it): initdb
/// into a temporary folder (as the <c>postgres</c> user when running as root), a free loopback port, no fsync. It starts
/// once per test process, on first use, and is stopped and removed when the process exits (./test.sh also removes any
/// left behind by a killed run). Each test gets a database of its own.
/// </summary>
public sealed class PostgresServer
{
    public const string AppUser = "audittool";
    public const string AppPassword = "throwaway-test-password";

    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string _bin;
    private readonly string _folder;
    private int _databases;

    private PostgresServer(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public static PostgresServer Instance => Shared.Value;

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>A new empty database owned by the app's role; its postgresql:// URI.</summary>
    public string CreateDatabase(string prefix = "t")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 30)].ToLowerInvariant();
        Admin($"CREATE DATABASE \"{name}\" OWNER {AppUser}");
        return UriOf(name);
    }

    public string UriOf(string database) => $"postgresql://{AppUser}:{AppPassword}@127.0.0.1:{Port}/{database}";

    public void DropDatabase(string uri)
    {
        var name = new Uri(uri).AbsolutePath.Trim('/');
        NpgsqlConnection.ClearAllPools();
        Admin($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Runs a statement as the cluster's superuser.</summary>
    public void Admin(string sql)
    {
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static PostgresServer Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0))
                .LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Run ./test.sh, which installs Debian's postgresql package.");
        }

        var root = Environment.GetEnvironmentVariable("AUDITTOOL_TEST_SERVERS") is { Length: > 0 } r ? r : Path.GetTempPath();
        var folder = Path.Combine(root, $"audittool-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            Run("chown", ["postgres", folder]);
        }

        var port = FreePort();
        var server = new PostgresServer(bin, folder, port);
        server.AsPostgres(Path.Combine(bin, "initdb"), ["-D", server.DataFolder, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
        server.AsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", server.DataFolder, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "-o",
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
            "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        server.Admin($"CREATE ROLE {AppUser} LOGIN PASSWORD '{AppPassword}'");
        return server;
    }

    private void Stop()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            AsPostgres(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void AsPostgres(string program, IEnumerable<string> args) =>
        Run(IsRoot ? "runuser" : program, IsRoot ? ["-u", "postgres", "--", program, .. args] : args, _folder);

    private static void Run(string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output.Result}{error.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
