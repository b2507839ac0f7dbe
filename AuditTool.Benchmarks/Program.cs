using AuditTool.Benchmarks;
using AuditTool.Benchmarks.Measurements;

// The parent loads the data and starts one child process per measurement ("measure ..."), so that every peak
// working set belongs to one operation.
if (args is ["measure", .. var rest])
{
    return await ChildMeasurement.RunAsync(rest);
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

return await BenchmarkRunner.RunAsync(options);
