using Microsoft.AspNetCore.Components.Server.Circuits;

namespace AuditTool.Web.Components.Shared;

/// <summary>
/// The autosave queues of one open page (one circuit): when its connection drops (the tab closed, the browser went away,
/// the network failed) whatever they hold is saved at once, not when the circuit is finally thrown away minutes later.
/// </summary>
public sealed class AutosaveCircuit : CircuitHandler
{
    private readonly object _gate = new();
    private readonly List<AutosaveQueue> _queues = [];

    public void Register(AutosaveQueue queue)
    {
        lock (_gate)
        {
            _queues.Add(queue);
        }
    }

    public void Unregister(AutosaveQueue queue)
    {
        lock (_gate)
        {
            _queues.Remove(queue);
        }
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => FlushAllAsync();

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken) => FlushAllAsync();

    private Task FlushAllAsync()
    {
        List<AutosaveQueue> queues;
        lock (_gate)
        {
            queues = [.. _queues];
        }

        return Task.WhenAll(queues.Select(q => q.FlushAsync()));
    }
}
