using System.Text.Json;

namespace AuditTool.Domain.Templates;

/// <summary>What is wrong with a file that System.Text.Json could not read, in plain English, for the JSON path "$".</summary>
public static class JsonProblem
{
    /// <param name="maxDepth">The depth the reader was given (<c>JsonDocumentOptions.MaxDepth</c>).</param>
    public static string Describe(JsonException ex, int maxDepth)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : string.Empty;
        // System.Text.Json says so only in its message ("The maximum configured depth of 64 has been exceeded. ..."): a file
        // nested this deep is refused for its depth, not because something in it is malformed.
        return ex.Message.StartsWith("The maximum configured depth", StringComparison.Ordinal)
            ? $"$: the file is nested deeper than {maxDepth} levels{where}; no AuditTool file needs that many, so it was not read further."
            : $"$: the file is not valid JSON{where}.";
    }
}
