using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Rules;

/// <summary>
/// Every diagnostic descriptor of the package, in one place. Strings live in <c>Resources.resx</c>;
/// each descriptor links to its page <c>docs/rules/ID.md</c>.
/// </summary>
public static class Descriptors
{
    public static readonly DiagnosticDescriptor UseAfterRequestCompleted = Rule(RuleIdentifiers.UseAfterRequestCompleted, nameof(RuleIdentifiers.UseAfterRequestCompleted));

    public static readonly DiagnosticDescriptor RequestCompletedTwice = Rule(RuleIdentifiers.RequestCompletedTwice, nameof(RuleIdentifiers.RequestCompletedTwice));

    public static readonly DiagnosticDescriptor RequestDdiAfterCompletion = Rule(RuleIdentifiers.RequestDdiAfterCompletion, nameof(RuleIdentifiers.RequestDdiAfterCompletion));

    public static readonly DiagnosticDescriptor RequestNotCompleted = Rule(RuleIdentifiers.RequestNotCompleted, nameof(RuleIdentifiers.RequestNotCompleted));

    public static readonly DiagnosticDescriptor CancelableRequestMisuse = Rule(RuleIdentifiers.CancelableRequestMisuse, nameof(RuleIdentifiers.CancelableRequestMisuse));

    public static readonly DiagnosticDescriptor MissingReuseBeforeCompletion = Rule(RuleIdentifiers.MissingReuseBeforeCompletion, nameof(RuleIdentifiers.MissingReuseBeforeCompletion));

    public static readonly DiagnosticDescriptor ReformatWithoutReuse = Rule(RuleIdentifiers.ReformatWithoutReuse, nameof(RuleIdentifiers.ReformatWithoutReuse));

    public static readonly DiagnosticDescriptor ReusedRequestWithoutCompletionRoutine = Rule(RuleIdentifiers.ReusedRequestWithoutCompletionRoutine, nameof(RuleIdentifiers.ReusedRequestWithoutCompletionRoutine));

    public static readonly DiagnosticDescriptor DriverCreatedRequestCompleted = Rule(RuleIdentifiers.DriverCreatedRequestCompleted, nameof(RuleIdentifiers.DriverCreatedRequestCompleted));

    public static readonly DiagnosticDescriptor UnboundedCopy = Rule(RuleIdentifiers.UnboundedCopy, nameof(RuleIdentifiers.UnboundedCopy));

    public static readonly DiagnosticDescriptor CopyStatusIgnored = Rule(RuleIdentifiers.CopyStatusIgnored, nameof(RuleIdentifiers.CopyStatusIgnored));

    public static readonly DiagnosticDescriptor RetrieveStatusNotChecked = Rule(RuleIdentifiers.RetrieveStatusNotChecked, nameof(RuleIdentifiers.RetrieveStatusNotChecked));

    public static readonly DiagnosticDescriptor InformationExceedsBuffer = Rule(RuleIdentifiers.InformationExceedsBuffer, nameof(RuleIdentifiers.InformationExceedsBuffer));

    public static readonly DiagnosticDescriptor PointerAccessOutOfBounds = Rule(RuleIdentifiers.PointerAccessOutOfBounds, nameof(RuleIdentifiers.PointerAccessOutOfBounds));

    public static readonly DiagnosticDescriptor DeprecatedPoolAllocation = Rule(RuleIdentifiers.DeprecatedPoolAllocation, nameof(RuleIdentifiers.DeprecatedPoolAllocation));

    public static readonly DiagnosticDescriptor ExecutableMemory = Rule(RuleIdentifiers.ExecutableMemory, nameof(RuleIdentifiers.ExecutableMemory));

    public static readonly DiagnosticDescriptor ObsoleteMdlMapping = Rule(RuleIdentifiers.ObsoleteMdlMapping, nameof(RuleIdentifiers.ObsoleteMdlMapping));

    public static readonly DiagnosticDescriptor PoolTypeAsPoolFlags = Rule(RuleIdentifiers.PoolTypeAsPoolFlags, nameof(RuleIdentifiers.PoolTypeAsPoolFlags));

    public static readonly DiagnosticDescriptor PoolFreeMismatch = Rule(RuleIdentifiers.PoolFreeMismatch, nameof(RuleIdentifiers.PoolFreeMismatch));

    public static readonly DiagnosticDescriptor DefaultPoolTag = Rule(RuleIdentifiers.DefaultPoolTag, nameof(RuleIdentifiers.DefaultPoolTag));

    public static readonly DiagnosticDescriptor UseAfterFree = Rule(RuleIdentifiers.UseAfterFree, nameof(RuleIdentifiers.UseAfterFree));

    public static readonly DiagnosticDescriptor PagedPoolAtDispatch = Rule(RuleIdentifiers.PagedPoolAtDispatch, nameof(RuleIdentifiers.PagedPoolAtDispatch));

    public static readonly DiagnosticDescriptor PreallocatedMemorySentAsynchronously = Rule(RuleIdentifiers.PreallocatedMemorySentAsynchronously, nameof(RuleIdentifiers.PreallocatedMemorySentAsynchronously));

    public static readonly DiagnosticDescriptor AssignBufferOnOwnedMemory = Rule(RuleIdentifiers.AssignBufferOnOwnedMemory, nameof(RuleIdentifiers.AssignBufferOnOwnedMemory));

    public static readonly DiagnosticDescriptor UnprobedUserAddress = Rule(RuleIdentifiers.UnprobedUserAddress, nameof(RuleIdentifiers.UnprobedUserAddress));

    public static readonly DiagnosticDescriptor DirectIoLengthFromParameters = Rule(RuleIdentifiers.DirectIoLengthFromParameters, nameof(RuleIdentifiers.DirectIoLengthFromParameters));

    public static readonly DiagnosticDescriptor BufferingModeChangedAfterSetup = Rule(RuleIdentifiers.BufferingModeChangedAfterSetup, nameof(RuleIdentifiers.BufferingModeChangedAfterSetup));

    public static readonly DiagnosticDescriptor UserBufferFetchedTwice = Rule(RuleIdentifiers.UserBufferFetchedTwice, nameof(RuleIdentifiers.UserBufferFetchedTwice));

    public static readonly DiagnosticDescriptor RegistryPathKept = Rule(RuleIdentifiers.RegistryPathKept, nameof(RuleIdentifiers.RegistryPathKept));

    /// <summary>
    /// The one way a descriptor is made: from its ID, the help link (<see cref="HelpLinks.ForRule"/>) and the category
    /// (<see cref="RuleCategories.ForRule"/>, the ID's family); from its name in <see cref="RuleIdentifiers"/>, the
    /// resources <c>NameTitle</c>, <c>NameMessage</c> and <c>NameDescription</c>. Every rule is a warning, on by
    /// default; its row in <c>AnalyzerReleases.*.md</c> repeats ID, category, severity and title.
    /// </summary>
    internal static DiagnosticDescriptor Rule(string id, string name) => new(
        id,
        Text(name + "Title"),
        Text(name + "Message"),
        RuleCategories.ForRule(id),
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(name + "Description"),
        helpLinkUri: HelpLinks.ForRule(id));

    private static LocalizableResourceString Text(string name) =>
        new(name, Resources.ResourceManager, typeof(Resources));
}
