namespace CrossCore.Kv;

/// <summary>The server's own counters, updated by every connection (atomically; no one orders anything by them).</summary>
internal sealed class ServerCounters
{
    private long _commands;
    private long _connectionsReceived;
    private long _connected;
    private long _protocolErrors;
    private long _abortedConnections;

    /// <summary>Commands executed (errors included).</summary>
    public long Commands => Interlocked.Read(ref _commands);

    /// <summary>Connections accepted since start.</summary>
    public long ConnectionsReceived => Interlocked.Read(ref _connectionsReceived);

    /// <summary>Connections open now.</summary>
    public long Connected => Interlocked.Read(ref _connected);

    /// <summary>Connections closed because their input was not RESP.</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Connections that ended with an I/O error (the client went away mid-command, say).</summary>
    public long AbortedConnections => Interlocked.Read(ref _abortedConnections);

    /// <summary>Counts a command.</summary>
    public void CountCommand() => Interlocked.Increment(ref _commands); // atomic: a counter shared by connections

    /// <summary>Counts an accepted connection.</summary>
    public void Opened()
    {
        // Connected first: both are full fences, so whoever sees a connection received also sees it connected.
        Interlocked.Increment(ref _connected); // atomic, full fence; pairs with the read of ConnectionsReceived
        Interlocked.Increment(ref _connectionsReceived); // atomic, full fence; ordered after the line above
    }

    /// <summary>Counts a closed connection.</summary>
    public void Closed() => Interlocked.Decrement(ref _connected); // atomic: a counter shared by connections

    /// <summary>Counts a protocol error.</summary>
    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors); // atomic: a counter shared by connections

    /// <summary>Counts a connection that ended with an I/O error.</summary>
    public void Aborted() => Interlocked.Increment(ref _abortedConnections); // atomic: a counter shared by connections
}
