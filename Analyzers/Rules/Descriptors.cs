using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Rules;

/// <summary>
/// Every diagnostic descriptor of the package, in one place. Strings live in <c>Resources.resx</c>;
/// each descriptor links to its page <c>docs/rules/ID.md</c>.
/// </summary>
public static class Descriptors
{
    public static readonly DiagnosticDescriptor UseAfterRequestCompleted = new(
        RuleIdentifiers.UseAfterRequestCompleted,
        Text(nameof(RuleIdentifiers.UseAfterRequestCompleted) + "Title"),
        Text(nameof(RuleIdentifiers.UseAfterRequestCompleted) + "Message"),
        RuleCategories.Lifetime,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.UseAfterRequestCompleted) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.UseAfterRequestCompleted));

    public static readonly DiagnosticDescriptor RequestCompletedTwice = new(
        RuleIdentifiers.RequestCompletedTwice,
        Text(nameof(RuleIdentifiers.RequestCompletedTwice) + "Title"),
        Text(nameof(RuleIdentifiers.RequestCompletedTwice) + "Message"),
        RuleCategories.Lifetime,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.RequestCompletedTwice) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.RequestCompletedTwice));

    public static readonly DiagnosticDescriptor RequestDdiAfterCompletion = new(
        RuleIdentifiers.RequestDdiAfterCompletion,
        Text(nameof(RuleIdentifiers.RequestDdiAfterCompletion) + "Title"),
        Text(nameof(RuleIdentifiers.RequestDdiAfterCompletion) + "Message"),
        RuleCategories.Lifetime,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.RequestDdiAfterCompletion) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.RequestDdiAfterCompletion));

    public static readonly DiagnosticDescriptor RequestNotCompleted = new(
        RuleIdentifiers.RequestNotCompleted,
        Text(nameof(RuleIdentifiers.RequestNotCompleted) + "Title"),
        Text(nameof(RuleIdentifiers.RequestNotCompleted) + "Message"),
        RuleCategories.Lifetime,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.RequestNotCompleted) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.RequestNotCompleted));

    public static readonly DiagnosticDescriptor MissingReuseBeforeCompletion = new(
        RuleIdentifiers.MissingReuseBeforeCompletion,
        Text(nameof(RuleIdentifiers.MissingReuseBeforeCompletion) + "Title"),
        Text(nameof(RuleIdentifiers.MissingReuseBeforeCompletion) + "Message"),
        RuleCategories.Reuse,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.MissingReuseBeforeCompletion) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.MissingReuseBeforeCompletion));

    public static readonly DiagnosticDescriptor ReformatWithoutReuse = new(
        RuleIdentifiers.ReformatWithoutReuse,
        Text(nameof(RuleIdentifiers.ReformatWithoutReuse) + "Title"),
        Text(nameof(RuleIdentifiers.ReformatWithoutReuse) + "Message"),
        RuleCategories.Reuse,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.ReformatWithoutReuse) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.ReformatWithoutReuse));

    public static readonly DiagnosticDescriptor ReusedRequestWithoutCompletionRoutine = new(
        RuleIdentifiers.ReusedRequestWithoutCompletionRoutine,
        Text(nameof(RuleIdentifiers.ReusedRequestWithoutCompletionRoutine) + "Title"),
        Text(nameof(RuleIdentifiers.ReusedRequestWithoutCompletionRoutine) + "Message"),
        RuleCategories.Reuse,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.ReusedRequestWithoutCompletionRoutine) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.ReusedRequestWithoutCompletionRoutine));

    public static readonly DiagnosticDescriptor DriverCreatedRequestCompleted = new(
        RuleIdentifiers.DriverCreatedRequestCompleted,
        Text(nameof(RuleIdentifiers.DriverCreatedRequestCompleted) + "Title"),
        Text(nameof(RuleIdentifiers.DriverCreatedRequestCompleted) + "Message"),
        RuleCategories.Reuse,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.DriverCreatedRequestCompleted) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.DriverCreatedRequestCompleted));

    public static readonly DiagnosticDescriptor UnboundedCopy = new(
        RuleIdentifiers.UnboundedCopy,
        Text(nameof(RuleIdentifiers.UnboundedCopy) + "Title"),
        Text(nameof(RuleIdentifiers.UnboundedCopy) + "Message"),
        RuleCategories.Copies,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.UnboundedCopy) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.UnboundedCopy));

    public static readonly DiagnosticDescriptor CopyStatusIgnored = new(
        RuleIdentifiers.CopyStatusIgnored,
        Text(nameof(RuleIdentifiers.CopyStatusIgnored) + "Title"),
        Text(nameof(RuleIdentifiers.CopyStatusIgnored) + "Message"),
        RuleCategories.Copies,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.CopyStatusIgnored) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.CopyStatusIgnored));

    public static readonly DiagnosticDescriptor RetrieveStatusNotChecked = new(
        RuleIdentifiers.RetrieveStatusNotChecked,
        Text(nameof(RuleIdentifiers.RetrieveStatusNotChecked) + "Title"),
        Text(nameof(RuleIdentifiers.RetrieveStatusNotChecked) + "Message"),
        RuleCategories.Copies,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.RetrieveStatusNotChecked) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.RetrieveStatusNotChecked));

    public static readonly DiagnosticDescriptor InformationExceedsBuffer = new(
        RuleIdentifiers.InformationExceedsBuffer,
        Text(nameof(RuleIdentifiers.InformationExceedsBuffer) + "Title"),
        Text(nameof(RuleIdentifiers.InformationExceedsBuffer) + "Message"),
        RuleCategories.Copies,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.InformationExceedsBuffer) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.InformationExceedsBuffer));

    public static readonly DiagnosticDescriptor DeprecatedPoolAllocation = new(
        RuleIdentifiers.DeprecatedPoolAllocation,
        Text(nameof(RuleIdentifiers.DeprecatedPoolAllocation) + "Title"),
        Text(nameof(RuleIdentifiers.DeprecatedPoolAllocation) + "Message"),
        RuleCategories.Allocation,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.DeprecatedPoolAllocation) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.DeprecatedPoolAllocation));

    public static readonly DiagnosticDescriptor ExecutableMemory = new(
        RuleIdentifiers.ExecutableMemory,
        Text(nameof(RuleIdentifiers.ExecutableMemory) + "Title"),
        Text(nameof(RuleIdentifiers.ExecutableMemory) + "Message"),
        RuleCategories.Allocation,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.ExecutableMemory) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.ExecutableMemory));

    public static readonly DiagnosticDescriptor ObsoleteMdlMapping = new(
        RuleIdentifiers.ObsoleteMdlMapping,
        Text(nameof(RuleIdentifiers.ObsoleteMdlMapping) + "Title"),
        Text(nameof(RuleIdentifiers.ObsoleteMdlMapping) + "Message"),
        RuleCategories.Allocation,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.ObsoleteMdlMapping) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.ObsoleteMdlMapping));

    public static readonly DiagnosticDescriptor PoolTypeAsPoolFlags = new(
        RuleIdentifiers.PoolTypeAsPoolFlags,
        Text(nameof(RuleIdentifiers.PoolTypeAsPoolFlags) + "Title"),
        Text(nameof(RuleIdentifiers.PoolTypeAsPoolFlags) + "Message"),
        RuleCategories.Allocation,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.PoolTypeAsPoolFlags) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.PoolTypeAsPoolFlags));

    public static readonly DiagnosticDescriptor PoolFreeMismatch = new(
        RuleIdentifiers.PoolFreeMismatch,
        Text(nameof(RuleIdentifiers.PoolFreeMismatch) + "Title"),
        Text(nameof(RuleIdentifiers.PoolFreeMismatch) + "Message"),
        RuleCategories.Allocation,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.PoolFreeMismatch) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.PoolFreeMismatch));

    public static readonly DiagnosticDescriptor PreallocatedMemorySentAsynchronously = new(
        RuleIdentifiers.PreallocatedMemorySentAsynchronously,
        Text(nameof(RuleIdentifiers.PreallocatedMemorySentAsynchronously) + "Title"),
        Text(nameof(RuleIdentifiers.PreallocatedMemorySentAsynchronously) + "Message"),
        RuleCategories.IoModes,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.PreallocatedMemorySentAsynchronously) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.PreallocatedMemorySentAsynchronously));

    public static readonly DiagnosticDescriptor AssignBufferOnOwnedMemory = new(
        RuleIdentifiers.AssignBufferOnOwnedMemory,
        Text(nameof(RuleIdentifiers.AssignBufferOnOwnedMemory) + "Title"),
        Text(nameof(RuleIdentifiers.AssignBufferOnOwnedMemory) + "Message"),
        RuleCategories.IoModes,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.AssignBufferOnOwnedMemory) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.AssignBufferOnOwnedMemory));

    public static readonly DiagnosticDescriptor UnprobedUserAddress = new(
        RuleIdentifiers.UnprobedUserAddress,
        Text(nameof(RuleIdentifiers.UnprobedUserAddress) + "Title"),
        Text(nameof(RuleIdentifiers.UnprobedUserAddress) + "Message"),
        RuleCategories.IoModes,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.UnprobedUserAddress) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.UnprobedUserAddress));

    public static readonly DiagnosticDescriptor DirectIoLengthFromParameters = new(
        RuleIdentifiers.DirectIoLengthFromParameters,
        Text(nameof(RuleIdentifiers.DirectIoLengthFromParameters) + "Title"),
        Text(nameof(RuleIdentifiers.DirectIoLengthFromParameters) + "Message"),
        RuleCategories.IoModes,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.DirectIoLengthFromParameters) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.DirectIoLengthFromParameters));

    public static readonly DiagnosticDescriptor BufferingModeChangedAfterSetup = new(
        RuleIdentifiers.BufferingModeChangedAfterSetup,
        Text(nameof(RuleIdentifiers.BufferingModeChangedAfterSetup) + "Title"),
        Text(nameof(RuleIdentifiers.BufferingModeChangedAfterSetup) + "Message"),
        RuleCategories.IoModes,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Text(nameof(RuleIdentifiers.BufferingModeChangedAfterSetup) + "Description"),
        helpLinkUri: HelpLinks.ForRule(RuleIdentifiers.BufferingModeChangedAfterSetup));

    private static LocalizableResourceString Text(string name) =>
        new(name, Resources.ResourceManager, typeof(Resources));
}
