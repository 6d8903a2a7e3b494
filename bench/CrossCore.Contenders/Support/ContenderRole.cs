namespace CrossCore.Contenders;

/// <summary>What a contender is in its scenario.</summary>
public enum ContenderRole
{
    /// <summary>The hardware floor: the least a correct handoff can cost.</summary>
    Floor,

    /// <summary>CrossCore itself.</summary>
    CrossCore,

    /// <summary>What a .NET developer would use instead.</summary>
    Peer,

    /// <summary>A variant of the floor with one of CrossCore's required costs added (shows what the protocol itself
    /// costs); not a peer, not the floor.</summary>
    Reference,
}
