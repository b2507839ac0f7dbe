using System.Diagnostics;
using System.Text.Json;

namespace AuditTool.Benchmarks.Measurements;

/// <summary>The parent side: starts this same program as <c>measure ...</c> and reads the child's JSON line.</summary>
public sealed class ChildRunner(bool serverGc)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    private Process? _running;

    /// <param name="database">The child's <c>--db</c>: a SQLite file or a postgresql:// URI (its password in <paramref name="environment"/>).</param>
    public async Task<Sample> RunAsync(string what, string database, long auditId, long warmUpId, string output,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The program's own path is unknown.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as "dotnet AuditTool.Benchmarks.dll": the child needs the dll too.
            start.ArgumentList.Add(typeof(ChildRunner).Assembly.Location);
        }

        foreach (var argument in new[] { "measure", what, "--db", database, "--audit", $"{auditId}", "--warm-up", $"{warmUpId}", "--out", output })
        {
            start.ArgumentList.Add(argument);
        }

        // The web host's GC mode unless told otherwise; the environment variable wins over the runtimeconfig.
        start.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        // The tiered JIT starts counting calls only once no method has been compiled for 100 ms, so the few calls of a
        // short warm-up left the once-per-run methods (the aggregation's loops, the export's sheet loop) unoptimised:
        // the measured run then compiled them on the clock, about 400 ms of a 1.5 million-answer aggregation (measured
        // with tiering off, and against repeated runs in one process). Without that delay the warm-up leaves the code as
        // a running app has it after its first minutes; nothing else about the JIT changes.
        start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        _running = process;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The {what} measurement took longer than {Limit.TotalMinutes} minutes.");
        }
        finally
        {
            _running = null;
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var json = lines.LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || json is null)
        {
            throw new InvalidOperationException($"The {what} measurement failed (exit code {process.ExitCode}):{Environment.NewLine}{await stderr}{string.Join(Environment.NewLine, lines)}");
        }

        return JsonSerializer.Deserialize<Sample>(json, ChildMeasurement.Json)
            ?? throw new InvalidOperationException($"The {what} measurement printed no figures.");
    }

    /// <summary>When the run is interrupted: ends the child measuring now, if any (it is this program's own child).</summary>
    public void StopRunning()
    {
        try
        {
            if (_running is { HasExited: false } child)
            {
                child.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
