using System.Diagnostics;

namespace AuditTool.Tests.Support;

/// <summary>LibreOffice headless (./test.sh installs it), converting a file as someone opening and saving it would.</summary>
public static class LibreOffice
{
    /// <summary>Converts <paramref name="path"/> with a filter ("pdf", "txt:Text", "xlsx"); returns the converted file's path.</summary>
    public static string Convert(string path, string filter) => ConvertAll(path, filter).Single();

    /// <summary>Converts <paramref name="path"/> with a filter; returns every file written (one per sheet for CSV of every sheet).</summary>
    public static IReadOnlyList<string> ConvertAll(string path, string filter)
    {
        var output = Path.Combine(Path.GetDirectoryName(path)!, "converted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        var profile = Path.Combine(Path.GetTempPath(), "audittool-lo-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("libreoffice") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", filter, "--outdir", output, path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("LibreOffice did not start.");
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(true);
            throw new TimeoutException("LibreOffice took longer than 3 minutes.");
        }

        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }

        var files = Directory.GetFiles(output);
        return files.Length > 0 ? files : throw new InvalidOperationException($"LibreOffice converted nothing (exit {process.ExitCode}): {log.Result}{errors.Result}");
    }
}
