namespace CrossCore.Kv;

/// <summary>The commands the server knows.</summary>
internal enum CommandKind
{
    /// <summary>Not a command of this server.</summary>
    Unknown,
    /// <summary><c>PING [message]</c>.</summary>
    Ping,
    /// <summary><c>ECHO message</c>.</summary>
    Echo,
    /// <summary><c>SET key value [EX seconds | PX milliseconds]</c>.</summary>
    Set,
    /// <summary><c>GET key</c>.</summary>
    Get,
    /// <summary><c>INCR key</c>.</summary>
    Incr,
    /// <summary><c>INCRBY key increment</c>.</summary>
    IncrBy,
    /// <summary><c>DECR key</c>.</summary>
    Decr,
    /// <summary><c>DECRBY key decrement</c>.</summary>
    DecrBy,
    /// <summary><c>DEL key [key ...]</c>, and <c>UNLINK</c>, which StackExchange.Redis sends for a delete (the same here).</summary>
    Del,
    /// <summary><c>MSET key value [key value ...]</c>.</summary>
    MSet,
    /// <summary><c>MGET key [key ...]</c>.</summary>
    MGet,
    /// <summary><c>DBSIZE</c>.</summary>
    DbSize,
    /// <summary><c>INFO [section]</c>: server, store and CrossCore counters.</summary>
    Info,
    /// <summary><c>CONFIG GET parameter</c>: what redis-benchmark asks at start.</summary>
    Config,
    /// <summary><c>COMMAND ...</c>: redis-cli asks for command docs; answered with an empty list.</summary>
    Command,
    /// <summary><c>SELECT index</c>: only database 0 exists.</summary>
    Select,
    /// <summary><c>CLIENT ...</c>: accepted and ignored (clients name themselves).</summary>
    Client,
    /// <summary><c>QUIT</c>: answers OK and closes the connection.</summary>
    Quit,
}
