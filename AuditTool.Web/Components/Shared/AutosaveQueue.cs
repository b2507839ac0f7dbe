namespace AuditTool.Web.Components.Shared;

/// <summary>
/// Saving as the user types, for every page that does: saves run one at a time in the order they were asked for; text
/// being typed is saved a moment after the last key (<see cref="Schedule"/>), replaced by newer text for the same field
/// meanwhile; a change that should not wait (a choice, leaving a field) is saved at once (<see cref="NowAsync"/>);
/// whatever is still waiting is sent when the page asks (<see cref="FlushAsync"/>: before it navigates, when it is
/// hidden) and when the page goes away (<see cref="DisposeAsync"/>: a closed tab, a reload, Back). A save that fails for
/// a reason other than a refusal is tried again a few times.
/// </summary>
public sealed class AutosaveQueue : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Waiting> _waiting = [];
    private readonly TimeSpan _delay;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Func<Exception, bool> _isFinal;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private Task _tail = Task.CompletedTask;
    private int _running;
    private bool _disposed;

    /// <param name="delay">How long typing may pause before its text is saved.</param>
    /// <param name="dispatch">Runs a save where the page's state may be touched (a component's InvokeAsync).</param>
    /// <param name="isFinal">Failures not worth retrying (a refusal, a validation message); others are retried.</param>
    public AutosaveQueue(TimeSpan delay, Func<Func<Task>, Task> dispatch, Func<Exception, bool>? isFinal = null,
        TimeSpan? retryDelay = null, TimeProvider? time = null)
    {
        _delay = delay;
        _dispatch = dispatch;
        _isFinal = isFinal ?? (_ => false);
        _retryDelay = retryDelay ?? TimeSpan.FromMilliseconds(500);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised whenever <see cref="HasPending"/> may have changed.</summary>
    public event Action? PendingChanged;

    /// <summary>Raised when a save failed for good (after its retries); the page shows why.</summary>
    public event Action<Exception>? Failed;

    /// <summary>Something is waiting to be saved or being saved.</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count > 0 || _running > 0;
            }
        }
    }

    /// <summary>Saves <paramref name="save"/> after the delay unless newer work for the same key comes first.</summary>
    public void Schedule(string key, Func<Task> save)
    {
        Waiting waiting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_waiting.Remove(key, out var previous))
            {
                previous.Timer.Dispose();
            }

            waiting = new Waiting(save);
            _waiting[key] = waiting;
            waiting.Timer = _time.CreateTimer(_ => _ = _dispatch(() => Release(key, waiting)), null, _delay, Timeout.InfiniteTimeSpan);
        }

        PendingChanged?.Invoke();
    }

    /// <summary>Drops the work waiting for <paramref name="key"/> (its text became something that must not be saved).</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            if (_waiting.Remove(key, out var previous))
            {
                previous.Timer.Dispose();
            }
        }

        PendingChanged?.Invoke();
    }

    /// <summary>Saves at once (after the saves already queued), dropping any waiting work for the same key.</summary>
    public Task NowAsync(string key, Func<Task> save)
    {
        lock (_gate)
        {
            if (_waiting.Remove(key, out var previous))
            {
                previous.Timer.Dispose();
            }
        }

        return Enqueue(save);
    }

    /// <summary>Sends everything still waiting, then runs <paramref name="work"/> after it (a submission, say).</summary>
    public async Task RunAsync(Func<Task> work)
    {
        var flushed = FlushAsync();
        var run = Enqueue(work);
        await flushed;
        await run;
    }

    /// <summary>Sends every waiting save now and completes when all saves asked for so far have run.</summary>
    public Task FlushAsync()
    {
        List<Func<Task>> now;
        lock (_gate)
        {
            now = _waiting.Values.Select(w => w.Save).ToList();
            foreach (var w in _waiting.Values)
            {
                w.Timer.Dispose();
            }

            _waiting.Clear();
        }

        foreach (var save in now)
        {
            _ = Enqueue(save);
        }

        lock (_gate)
        {
            return _tail;
        }
    }

    /// <summary>The page goes away: what is waiting is saved now (no new work is taken).</summary>
    public async ValueTask DisposeAsync()
    {
        var last = FlushAsync();
        lock (_gate)
        {
            _disposed = true;
        }

        await last;
    }

    private Task Release(string key, Waiting waiting)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(key, out var current) || current != waiting)
            {
                return Task.CompletedTask;
            }

            _waiting.Remove(key);
            waiting.Timer.Dispose();
        }

        return Enqueue(waiting.Save);
    }

    private Task Enqueue(Func<Task> save)
    {
        Task run;
        lock (_gate)
        {
            _running++;
            run = RunAfterAsync(_tail, save);
            _tail = Quietly(run);
        }

        PendingChanged?.Invoke();
        return run;
    }

    private async Task RunAfterAsync(Task previous, Func<Task> save)
    {
        await previous;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await save();
                    return;
                }
                catch (Exception ex) when (!_isFinal(ex) && attempt < 3)
                {
                    await Task.Delay(_retryDelay * attempt, _time);
                }
                catch (Exception ex)
                {
                    Failed?.Invoke(ex);
                    throw;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _running--;
            }

            PendingChanged?.Invoke();
        }
    }

    /// <summary>The queue's tail never fails: a failed save is its caller's to handle, and later saves still run.</summary>
    private static async Task Quietly(Task run)
    {
        try
        {
            await run;
        }
        catch
        {
        }
    }

    private sealed class Waiting(Func<Task> save)
    {
        public Func<Task> Save { get; } = save;

        public ITimer Timer { get; set; } = null!;
    }
}
