using AuditTool.Domain.Security;
using AuditTool.Web.Components.Shared;

namespace AuditTool.Tests.Web;

/// <summary>The one save-as-you-type queue of every page that saves while its user types.</summary>
public sealed class AutosaveQueueTests
{
    private static AutosaveQueue NewQueue(TimeSpan? delay = null) =>
        new(delay ?? TimeSpan.FromHours(1), work => work(), ex => ex is DomainValidationException, retryDelay: TimeSpan.Zero);

    [Fact]
    public async Task TypedText_WaitsForThePause_AndOnlyTheLatestTextOfAFieldIsSaved()
    {
        var saved = new List<string>();
        var queue = NewQueue();

        queue.Schedule("evidence:a", () => { saved.Add("first draft"); return Task.CompletedTask; });
        queue.Schedule("evidence:a", () => { saved.Add("second draft"); return Task.CompletedTask; });
        Assert.True(queue.HasPending);
        Assert.Empty(saved);
        await queue.FlushAsync();

        Assert.Equal(["second draft"], saved);
        Assert.False(queue.HasPending);
    }

    [Fact]
    public async Task TheTypingPause_SavesOnItsOwn()
    {
        var saved = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = NewQueue(TimeSpan.FromMilliseconds(1));

        queue.Schedule("evidence:a", () => { saved.TrySetResult("saved after the pause"); return Task.CompletedTask; });

        Assert.Equal("saved after the pause", await saved.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Saves_RunOneAtATime_InTheOrderAskedFor()
    {
        var order = new List<string>();
        var running = 0;
        var overlapped = false;
        var queue = NewQueue();
        Func<Task> Save(string name) => async () =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Yield();
            order.Add(name);
            Interlocked.Decrement(ref running);
        };

        queue.Schedule("evidence:a", Save("evidence a"));
        var answer = queue.NowAsync("answer:b", Save("answer b"));
        queue.Schedule("evidence:c", Save("evidence c"));
        await queue.RunAsync(Save("submit"));
        await answer;

        Assert.False(overlapped);
        Assert.Equal("submit", order[^1]);
        Assert.Equal(["answer b", "evidence a", "evidence c", "submit"], order);
    }

    [Fact]
    public async Task LeavingThePage_SavesWhatIsStillWaiting_AndTakesNothingAfterwards()
    {
        var saved = new List<string>();
        var queue = NewQueue();
        queue.Schedule("evidence:a", () => { saved.Add("typed just before Back"); return Task.CompletedTask; });

        await queue.DisposeAsync();
        queue.Schedule("evidence:a", () => { saved.Add("after the page went"); return Task.CompletedTask; });
        await queue.FlushAsync();

        Assert.Equal(["typed just before Back"], saved);
    }

    [Fact]
    public async Task AFailedSave_IsTriedAgain_ButARefusalIsNot_AndLaterSavesStillRun()
    {
        var attempts = 0;
        var refusals = 0;
        var later = false;
        var failed = new List<Exception>();
        var queue = NewQueue();
        queue.Failed += failed.Add;

        await queue.NowAsync("answer:a", () => ++attempts < 3 ? throw new TimeoutException("the database was busy") : Task.CompletedTask);
        await Assert.ThrowsAsync<DomainValidationException>(() => queue.NowAsync("answer:b", () =>
        {
            refusals++;
            throw new DomainValidationException("not allowed");
        }));
        await queue.NowAsync("answer:c", () => { later = true; return Task.CompletedTask; });

        Assert.Equal(3, attempts);
        Assert.Equal(1, refusals);
        Assert.True(later);
        Assert.IsType<DomainValidationException>(Assert.Single(failed));
    }

    [Fact]
    public async Task ForgettingAField_DropsItsWaitingText()
    {
        var saved = new List<string>();
        var queue = NewQueue();
        queue.Schedule("evidence:a", () => { saved.Add("shorter text"); return Task.CompletedTask; });

        queue.Forget("evidence:a");
        await queue.FlushAsync();

        Assert.Empty(saved);
        Assert.False(queue.HasPending);
    }
}
