namespace AuditTool.Benchmarks;

public sealed record BenchmarkOptions(
    IReadOnlyList<BenchmarkSize> Sizes,
    int? Runs,
    string JsonPath,
    string? WorkFolder,
    bool DomLarge,
    bool ServerGc,
    bool Keep,
    bool Help,
    string? Postgres = null)
{
    public const string DefaultJsonPath = "benchmark-results/results.json";

    public const string Usage = """
        Usage: dotnet run -c Release --project AuditTool.Benchmarks -- [options]

          --sizes LIST     partnership,regional,large (default: all three)
          --runs N         runs of each measurement (default: partnership 5, regional 3, large 3)
          --json PATH      where the figures are written (default: benchmark-results/results.json)
          --work DIR       where the database and workbook files go (default: a temporary folder); deleted at the end
          --dom-large      also run the Open XML DOM reference at the large size (skipped by default: several GB, minutes)
          --gc MODE        workstation (default, as the web host runs) or server
          --keep           keep the database files (and PostgreSQL databases) at the end
          --db URI         also measure on PostgreSQL, beside SQLite, in the same run:
                           postgresql://user:password@host:port/database (an existing database the role may connect
                           to; the role needs CREATEDB: each size is loaded into a fresh database of its own, dropped
                           at the end). The password may instead come from PGPASSWORD.
        """;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions(BenchmarkSize.All, null, DefaultJsonPath, null, false, false, false, false);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = ParseSizes(Value()) },
                "--runs" => options with { Runs = int.TryParse(Value(), out var runs) && runs > 0 ? runs : throw new ArgumentException("--runs needs a positive number.") },
                "--json" => options with { JsonPath = Value() },
                "--work" => options with { WorkFolder = Value() },
                "--dom-large" => options with { DomLarge = true },
                "--gc" => options with
                {
                    ServerGc = Value() switch
                    {
                        "server" => true,
                        "workstation" => false,
                        var other => throw new ArgumentException($"--gc is server or workstation, not \"{other}\"."),
                    },
                },
                "--keep" => options with { Keep = true },
                "--db" => options with { Postgres = ParsePostgres(Value()) },
                "--help" or "-h" => options with { Help = true },
                var other => throw new ArgumentException($"Unknown option \"{other}\"."),
            };
        }

        return options;
    }

    public int RunsOf(BenchmarkSize size) => Runs ?? size.Runs;

    private static string ParsePostgres(string value)
    {
        // SQLite always runs (a file per size in the work folder); --db adds a PostgreSQL server beside it.
        if (!AuditTool.Data.DatabaseTarget.IsPostgresUri(value))
        {
            throw new ArgumentException($"--db takes a PostgreSQL server as postgresql://user:password@host:port/database, not \"{value}\" (SQLite always runs).");
        }

        // Checks the URI's shape now (user, host, database), before anything is generated.
        _ = AuditTool.Data.DatabaseTarget.Parse(value, Environment.CurrentDirectory);
        return value;
    }

    private static IReadOnlyList<BenchmarkSize> ParseSizes(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => BenchmarkSize.All.All(s => s.Name != n)).ToList();
        if (names.Length == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"--sizes takes {string.Join(", ", BenchmarkSize.All.Select(s => s.Name))}; not \"{string.Join(", ", unknown)}\".");
        }

        // Always in the issue's order, so the report reads small to large.
        return BenchmarkSize.All.Where(s => names.Contains(s.Name)).ToList();
    }
}
