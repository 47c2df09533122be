using DriverBuffers.Analyzers.Engine;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>The one location type: variables, own members, field paths from variables and from typed contexts, bounded.</summary>
public class TrackedLocationTests
{
    private const string Source = """
        class DEVICE_CONTEXT { public WDFREQUEST Reader; public DEVICE_CONTEXT Next; public WDFREQUEST Original { get; set; } }
        class Driver
        {
            static WDFREQUEST Shared;
            WDFREQUEST Pending;
            DEVICE_CONTEXT Context = new();

            void M(WDFQUEUE queue, DEVICE_CONTEXT ctx, WDFREQUEST request)
            {
                var local = request;
                var own = Pending;
                var viaThis = this.Pending;
                var shared = Shared;
                var param = ctx.Reader;
                var property = ctx.Original;
                var deep = ctx.Next.Next.Reader;
                var tooDeep = ctx.Next.Next.Next.Reader;
                var member = Context.Reader;
                var notFollowed = WdfIoQueueGetDevice(queue);
            }
        }
        """;

    /// <summary>Contexts reached through an accessor or <c>WdfObjectGetTypedContext</c> (the whole-driver API).</summary>
    private const string ContextSource = """
        class DEVICE_CONTEXT { public WDFREQUEST Reader; public WDFREQUEST Original { get; set; } }
        class Driver
        {
            static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            void M(WDFDEVICE device)
            {
                var context = GetDeviceContext(device).Reader;
                var typed = WdfObjectGetTypedContext<DEVICE_CONTEXT>(device).Original;
                var again = GetDeviceContext(device).Reader;
            }
        }
        """;

    [Fact]
    public void Paths_NameWhatTheUserWrote()
    {
        var paths = FactMapTests.PathsOf(Source);

        Assert.Equal((LocationRoot.Parameter, "request"), (paths["local"].Root, paths["local"].Name));
        Assert.True(paths["local"].IsVariable);
        Assert.Equal((LocationRoot.This, "Pending"), (paths["own"].Root, paths["own"].Name));
        Assert.True(paths["own"].IsOwnMember);
        Assert.Equal((LocationRoot.This, "Shared"), (paths["shared"].Root, paths["shared"].Name));
        Assert.Equal((LocationRoot.Parameter, "ctx.Reader"), (paths["param"].Root, paths["param"].Name));
        Assert.Equal("ctx.Original", paths["property"].Name);
        Assert.Equal(("ctx.Next.Next.Reader", 3), (paths["deep"].Name, paths["deep"].Members.Length));
        Assert.DoesNotContain("tooDeep", paths.Keys);
        Assert.Equal((LocationRoot.This, "Context.Reader"), (paths["member"].Root, paths["member"].Name));
        Assert.DoesNotContain("notFollowed", paths.Keys);
    }

    [Fact]
    public void Contexts_AreOneRootPerContextType()
    {
        var paths = FactMapTests.PathsOf(ContextSource);

        Assert.Equal((LocationRoot.Context, "DEVICE_CONTEXT.Reader"), (paths["context"].Root, paths["context"].Name));
        Assert.Equal((LocationRoot.Context, "DEVICE_CONTEXT.Original"), (paths["typed"].Root, paths["typed"].Name));
        Assert.Equal(paths["context"], paths["again"]);
        Assert.Equal(paths["context"].Holder, paths["typed"].Holder);
        var rebuilt = paths["context"].Holder!.Member(paths["context"].Symbol!);
        Assert.Equal(paths["context"], rebuilt);
        Assert.Equal(paths["context"].GetHashCode(), rebuilt!.GetHashCode());
    }

    [Fact]
    public void SameStorage_IsTheSameLocation()
    {
        var paths = FactMapTests.PathsOf(Source);

        // this.Pending and Pending are one location; a path rebuilt from its holder is the same location.
        Assert.Equal(paths["own"], paths["viaThis"]);
        Assert.Same(paths["own"], paths["viaThis"]);
        var rebuilt = paths["deep"].Holder!.Member(paths["deep"].Symbol!);
        Assert.Equal(paths["deep"], rebuilt);
        Assert.Equal(paths["deep"].GetHashCode(), rebuilt!.GetHashCode());
        Assert.NotEqual(paths["param"], paths["member"]);
        Assert.Equal("ctx", paths["deep"].Holder!.Holder!.Holder!.Name);
        Assert.Null(paths["own"].Holder);
    }
}
