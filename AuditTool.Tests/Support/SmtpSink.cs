using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace AuditTool.Tests.Support;

/// <summary>
/// A real SMTP server on loopback for the tests: Debian's <c>python3-aiosmtpd</c> (./test.sh installs it), started on a
/// free port, storing every message it accepts in a Maildir. It can be stopped and started again on the same port (an
/// SMTP server that goes down and comes back), and is killed when disposed or when the test process exits.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    /// <summary>Debian's Python, where the package installs the module (a python3 earlier on PATH may not have it).</summary>
    public const string Python = "/usr/bin/python3";

    private readonly object _gate = new();
    private Process? _process;

    private SmtpSink(int port, string folder)
    {
        Port = port;
        Folder = folder;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public int Port { get; }

    /// <summary>The Maildir the server writes into (and the server's own folder).</summary>
    public string Folder { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Settings that point the app at this server (no encryption, no sign-in).</summary>
    public IDictionary<string, string> Settings(string from = "audit@partnership.example.org") => new Dictionary<string, string>
    {
        ["AuditTool:Smtp:Host"] = "127.0.0.1",
        ["AuditTool:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AuditTool:Smtp:Security"] = "none",
        ["AuditTool:Smtp:From"] = from,
    };

    /// <summary>A sink on a free port, running (or only its port chosen, when <paramref name="start"/> is false).</summary>
    public static async Task<SmtpSink> StartAsync(bool start = true)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing. Run ./test.sh, which installs Debian's python3-aiosmtpd package.");
        }

        // Under ./test.sh's folder of throwaway servers, whose clean-up stops any sink a killed test run left behind.
        var root = Environment.GetEnvironmentVariable("AUDITTOOL_TEST_SERVERS") is { Length: > 0 } r ? r : Path.Combine(Path.GetTempPath(), "audittool-smtp");
        var folder = Path.Combine(root, $"smtp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var sink = new SmtpSink(FreePort(), folder);
        if (start)
        {
            await sink.StartAgainAsync();
        }

        return sink;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(Folder, "maildir") })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _process = process;
        }

        await File.WriteAllTextAsync(Path.Combine(Folder, "aiosmtpd.pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                lock (output)
                {
                    throw new InvalidOperationException($"aiosmtpd exited with code {process.ExitCode}: {output}");
                }
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops the server: connections to its port are refused until <see cref="StartAgainAsync"/>.</summary>
    public void Stop() => Kill();

    /// <summary>Every message the server has accepted, parsed.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var maildir = Path.Combine(Folder, "maildir");
        return new[] { "new", "cur" }
            .Select(d => Path.Combine(maildir, d))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .Select(f => MimeMessage.Load(f))
            .OrderBy(m => m.Headers["X-AuditTool-Reason"], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The messages whose reason key starts with <paramref name="prefix"/> (e.g. "reminder:").</summary>
    public IReadOnlyList<MimeMessage> Messages(string prefix) =>
        Messages().Where(m => (m.Headers["X-AuditTool-Reason"] ?? "").StartsWith(prefix, StringComparison.Ordinal)).ToList();

    private void Kill()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test moves by hand; everything the app times goes through it (TimeProvider).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
