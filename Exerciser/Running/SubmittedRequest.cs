using DriverBuffers.Exercising.Generation;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>A generated request as the application holds it once sent: the host's <see cref="IoResult"/>.</summary>
internal sealed class SubmittedRequest(GeneratedRequest request, IoResult result) : ISubmittedRequest
{
    public GeneratedRequest Request => request;

    public string HandleName => result.Request;

    public bool IsCompleted => result.IsCompleted;

    public bool Cancel() => false;
}
