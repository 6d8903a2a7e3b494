
namespace CrossCore.Tests.Cores;

/// <summary>O2, O3 and the closed inbox (C9), on the inbox alone.</summary>
public sealed class InboxTests
{
    private static DescriptorEntry<int> Entry(int id) => new(static _ => { }, id);

    [Fact]
    public void O3_push_reports_was_empty_only_for_the_first_push_and_detach_returns_FIFO_with_counts()
    {
        var inbox = default(Inbox);
        var sync = new SyncCall<int, VoidResult>();
        Assert.Equal(PushResult.WasEmpty, inbox.Push(Entry(0)));
        Assert.Equal(PushResult.WasNotEmpty, inbox.Push(sync));
        Assert.Equal(PushResult.WasNotEmpty, inbox.Push(Entry(2)));
        var chain = inbox.DetachAll(out var count, out var syncs);
        Assert.Equal(3, count);
        Assert.Equal(1, syncs);
        var ids = new List<int>();
        for (var e = chain; e is not null; e = e.Next)
        {
            ids.Add(e is DescriptorEntry<int> d ? d.State : 1);
        }

        Assert.Equal([0, 1, 2], ids);
        Assert.Null(inbox.DetachAll(out count, out _));
        Assert.Equal(0, count);
        Assert.Equal(PushResult.WasEmpty, inbox.Push(Entry(3))); // empty again after a detach
    }

    [Fact]
    public void C9_a_closed_inbox_rejects_every_push_even_while_its_owner_keeps_draining()
    {
        // The bug this guards against: a drain that exchanged the closed sentinel away and put it back let a push
        // land in between and then overwrote it, so the push reported success and its entry was lost.
        var box = new InboxBox();
        Assert.Null(box.Inbox.CloseAndDetach(out _, out _));
        var stop = 0;
        var owner = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                Assert.Null(box.Inbox.DetachAll(out _, out _));
            }
        });
        owner.Start();
        var accepted = 0;
        var entry = Entry(0); // never queued, so the same object may be offered again and again
        for (var i = 0; i < 2_000_000; i++)
        {
            if (box.Inbox.Push(entry) != PushResult.Closed)
            {
                accepted++;
            }
        }

        Volatile.Write(ref stop, 1);
        owner.Join();
        Assert.Equal(0, accepted);
        Assert.True(box.Inbox.IsClosed);
    }

    private sealed class InboxBox
    {
        public Inbox Inbox;
    }
}
