using System.Threading.Channels;

namespace CrossCore.Contenders;

/// <summary>The channel configuration of the ping-pong peers.</summary>
internal static class PingPongChannels
{
    public static Channel<long> Create() => Channel.CreateUnbounded<long>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = true,
        AllowSynchronousContinuations = false,
    });
}
