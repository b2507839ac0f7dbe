using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The real executable, started as its own process on a free loopback port with a fresh SQLite file: by default the
/// build output in Development (demo data and accounts), exactly as <c>dotnet run</c> would serve it; or any command
/// line (a published build).
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _disposed;

    private AppServer(Process process, string baseUrl, string folder)
    {
        _process = process;
        BaseUrl = baseUrl;
        Folder = folder;
    }

    public string BaseUrl { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "app.db");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<AppServer> StartAsync(IDictionary<string, string>? settings = null)
    {
        var folder = NewFolder();
        var start = BuiltExecutable();
        start.Environment["AuditTool__Database"] = Path.Combine(folder, "app.db");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return StartAsync(start, folder);
    }

    /// <summary>The app as <c>dotnet run</c> builds it, in Development (demo data on an empty database), with these arguments.</summary>
    public static ProcessStartInfo BuiltExecutable(params string[] args)
    {
        var webProject = Path.Combine(RepoPaths.Root, "AuditTool.Web");
        var relativeOutput = Path.GetRelativePath(Path.Combine(RepoPaths.Root, "AuditTool.Tests"), AppContext.BaseDirectory);
        var executable = Path.Combine(webProject, relativeOutput, "AuditTool.Web");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"The web app was not built at {executable}.");
        }

        var start = new ProcessStartInfo(executable) { WorkingDirectory = webProject };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["AuditTool__RevalidationSeconds"] = "5";
        start.Environment["AuditTool__SignIn__PerAddressPerMinute"] = "100000";
        start.Environment["AuditTool__SignIn__GlobalPerMinute"] = "100000";
        return start;
    }

    /// <summary>Starts a server process (its options already in <paramref name="start"/>) on a free port, waits until healthy.</summary>
    public static async Task<AppServer> StartAsync(ProcessStartInfo start, string folder)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The web app did not start.");
        var server = new AppServer(process, baseUrl, folder);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "audittool-browser", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var response = await http.GetAsync(BaseUrl + "/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The web app did not become healthy within 60 s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
