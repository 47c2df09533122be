#pragma warning disable RS1030 // cross-method facts: the DDI calls of other trees of the same compilation, bound once per tree
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What one syntax tree's DDI calls say about driver-created requests held in fields, bound once per tree and kept with
/// the tree object: which fields receive a request from <c>WdfRequestCreate</c> (directly or through a local), which are
/// sent, formatted (with whose memory), which hold memory the driver created, and which completion routines are
/// registered on which requests; and, on demand, the call sites of a method. Symbols are kept as documentation IDs, so
/// the facts of an unchanged tree stay valid in the next compilation of an edit (only the edited tree is bound again).
/// </summary>
internal sealed class TreeRequestFacts
{
    private static readonly TreeFacts<TreeRequestFacts> Cache = new();

    private Dictionary<string, TreeRequestFacts>? _byName;
    private TreeRequestFacts? _none;

    private TreeRequestFacts(SyntaxTree tree) => Tree = tree;

    public SyntaxTree Tree { get; }

    /// <summary>Fields and properties that receive a driver-created request.</summary>
    public HashSet<string> CreatedMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Fields and properties assigned a local that a helper's <c>out</c> (or <c>ref</c>) parameter filled
    /// (<c>Helper(…, out local); ctx.Request = local;</c>), with that helper and parameter: driver-created when the helper
    /// creates the request into that parameter (<see cref="CreatingOutParameters"/>, in its own tree).
    /// </summary>
    public Dictionary<string, List<(string MethodId, int Ordinal)>> MembersFromHelpers { get; } = new(StringComparer.Ordinal);

    /// <summary>The methods that create a request into one of their <c>out</c> or <c>ref</c> parameters, with its ordinal.</summary>
    public HashSet<(string MethodId, int Ordinal)> CreatingOutParameters { get; } = new();

    /// <summary>Fields and properties whose request is sent with <c>WdfRequestSend</c>.</summary>
    public HashSet<string> SentMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Fields and properties whose request a body takes out into a local that it formats, sends or registers a routine on
    /// (<c>request = targetInfo.ReadRequest; … WdfRequestSend(request, …)</c>): a request that may be put back in the field
    /// later, so what the stores of the field leave there is asked (<see cref="HeldRequestStores"/>) only for these.
    /// </summary>
    public HashSet<string> TakenOutMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields and properties that receive memory from <c>WdfMemoryCreate*</c>.</summary>
    public HashSet<string> OwnedMemoryMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>For each field-held request, the memory arguments of every format of it.</summary>
    public Dictionary<string, List<List<MemoryArgument>>> MemberFormats { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>WdfRequestSetCompletionRoutine</c> calls of the tree, in source order.</summary>
    public List<RoutineRegistration> Registrations { get; } = new();

    /// <summary>
    /// The facts about the members and routines called <paramref name="name"/> (by <see cref="SimpleNameOf"/> of their
    /// IDs; a registration is under its request member's name and its routine's name): the tree's facts grouped by name
    /// once per answer, which is kept across the compilations of IDE edits. A question about one name then reads its
    /// group instead of every fact of every tree that mentions it, on every compilation.
    /// </summary>
    public TreeRequestFacts OfName(string name)
    {
        var byName = Volatile.Read(ref _byName);
        if (byName is null)
        {
            byName = GroupByName();
            byName = Interlocked.CompareExchange(ref _byName, byName, null) ?? byName;
        }

        return byName.TryGetValue(name, out var facts) ? facts : _none ??= new TreeRequestFacts(Tree);
    }

    /// <summary>The simple name in a documentation ID (<c>F:N.T.Reader</c> → <c>Reader</c>; <c>M:N.T.Done(…)</c> → <c>Done</c>).</summary>
    /// <summary>True when <see cref="SimpleNameOf"/> of <paramref name="id"/> is <paramref name="name"/> (allocates nothing).</summary>
    public static bool HasSimpleName(string id, string name)
    {
        var (from, length) = SimpleNameSpan(id);
        return length == name.Length && string.CompareOrdinal(id, from, name, 0, length) == 0;
    }

    public static string SimpleNameOf(string id)
    {
        var (from, length) = SimpleNameSpan(id);
        return id.Substring(from, length);
    }

    /// <summary>
    /// Where the simple name stands in a documentation ID (<c>M:N.C.Name``1(…)</c>, <c>F:N.C.Name</c>): after the last
    /// <c>.</c> before the parameters (or the <c>X:</c> prefix), up to a generic arity.
    /// </summary>
    private static (int From, int Length) SimpleNameSpan(string id)
    {
        var end = id.IndexOf('(');
        if (end < 0)
        {
            end = id.Length;
        }

        var dot = end == 0 ? -1 : id.LastIndexOf('.', end - 1);
        var from = Math.Min(dot < 0 ? 2 : dot + 1, end);
        var tick = id.IndexOf('`', from, end - from);
        return (from, (tick < 0 ? end : tick) - from);
    }

    private Dictionary<string, TreeRequestFacts> GroupByName()
    {
        var groups = new Dictionary<string, TreeRequestFacts>(StringComparer.Ordinal);
        TreeRequestFacts Group(string id)
        {
            var name = SimpleNameOf(id);
            if (!groups.TryGetValue(name, out var group))
            {
                groups[name] = group = new TreeRequestFacts(Tree);
            }

            return group;
        }

        foreach (var id in CreatedMembers)
        {
            Group(id).CreatedMembers.Add(id);
        }

        foreach (var id in SentMembers)
        {
            Group(id).SentMembers.Add(id);
        }

        foreach (var pair in MembersFromHelpers)
        {
            Group(pair.Key).MembersFromHelpers[pair.Key] = pair.Value;
        }

        foreach (var creator in CreatingOutParameters)
        {
            Group(creator.MethodId).CreatingOutParameters.Add(creator);
        }

        foreach (var id in OwnedMemoryMembers)
        {
            Group(id).OwnedMemoryMembers.Add(id);
        }

        foreach (var id in TakenOutMembers)
        {
            Group(id).TakenOutMembers.Add(id);
        }

        foreach (var pair in MemberFormats)
        {
            Group(pair.Key).MemberFormats[pair.Key] = pair.Value;
        }

        foreach (var registration in Registrations)
        {
            TreeRequestFacts? byMember = registration.RequestMember is { } member ? Group(member) : null;
            byMember?.Registrations.Add(registration);
            if (registration.RoutineId is { } routine && Group(routine) is var byRoutine && !ReferenceEquals(byRoutine, byMember))
            {
                byRoutine.Registrations.Add(registration);
            }
        }

        return groups;
    }

    /// <summary>The facts of <paramref name="tree"/>, bound in <paramref name="session"/>'s compilation the first time (counted), kept while its declarations are the same.</summary>
    public static TreeRequestFacts For(AnalysisSession session, SyntaxTree tree, CancellationToken cancellationToken) =>
        Cache.Get(session, tree, string.Empty, (model, ct) => Build(model, session.Index(tree, ct), session.Catalog, ct), cancellationToken);

    private static TreeRequestFacts Build(SemanticModel model, SyntaxTreeIndex index, DdiCatalog catalog, CancellationToken cancellationToken)
    {
        var tree = model.SyntaxTree;
        var facts = new TreeRequestFacts(tree);

        var createdLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var ownedMemoryLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var localFormats = new Dictionary<ILocalSymbol, List<List<IOperation>>>(SymbolEqualityComparer.Default);
        var memberFormats = new List<(string Member, List<IOperation> Memory)>();
        var bodiesWithLocals = new HashSet<SyntaxNode>();
        var registrations = new List<(IInvocationOperation Invocation, ILocalSymbol? Local, string? Member, IParameterSymbol? Parameter)>();

        // Request locals a DDI formats, sends or registers a routine on without this body creating them: one may come from a
        // helper's out parameter (found below, in their bodies only).
        var otherRequestLocals = new Dictionary<ILocalSymbol, SyntaxNode>(SymbolEqualityComparer.Default);

        foreach (var syntax in NameMentions.Invocations(tree, index, name => (DdiNames.RolesOfName(name) & Interesting) != 0, cancellationToken))
        {
            if (model.GetOperation(syntax, cancellationToken) is not IInvocationOperation invocation)
            {
                continue;
            }

            var roles = catalog.RolesOf(invocation.TargetMethod);
            if ((roles & DdiRole.CreatesMemory) != 0)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is { RefKind: RefKind.Out } parameter &&
                        SymbolEqualityComparer.Default.Equals(parameter.Type, catalog.Api.WdfMemory))
                    {
                        if (MemberOf(argument.Value) is { } member)
                        {
                            facts.OwnedMemoryMembers.Add(member);
                        }
                        else if (LocalOf(argument.Value) is { } local && ownedMemoryLocals.Add(local) && EnclosingMember(syntax) is { } body)
                        {
                            bodiesWithLocals.Add(body);
                        }
                    }
                }

                continue;
            }

            var request = DdiArguments.Request(invocation);
            var requestMember = MemberOf(request);
            var requestLocal = LocalOf(request);
            if (requestLocal is not null && (roles & (DdiRole.FormatsRequest | DdiRole.SendsRequest | DdiRole.SetsCompletionRoutine)) != 0 &&
                EnclosingMember(syntax) is { } requestBody)
            {
                otherRequestLocals[requestLocal] = requestBody;
            }
            if ((roles & DdiRole.FormatsRequest) != 0)
            {
                var memory = DdiArguments.FormatMemory(catalog.Api, invocation);
                if (requestMember is not null)
                {
                    memberFormats.Add((requestMember, memory));
                }
                else if (requestLocal is not null)
                {
                    if (!localFormats.TryGetValue(requestLocal, out var list))
                    {
                        localFormats[requestLocal] = list = new List<List<IOperation>>();
                    }

                    list.Add(memory);
                }
            }
            else if ((roles & DdiRole.CreatesRequest) != 0)
            {
                if (requestMember is not null)
                {
                    facts.CreatedMembers.Add(requestMember);
                }
                else if (OperationUnwrap.Unwrap(request) is IArrayElementReferenceOperation element && MemberOf(element.ArrayReference) is { } array)
                {
                    // Created into an element of an array member (WdfRequestCreate(…, out ctx.OutgoingRequests[i])): the
                    // array member holds driver-created requests, and so does a property of this tree that returns one of
                    // its elements (the C macro I2CAsyncRequest, OutgoingRequests[I2CRequestSourceAsync]).
                    facts.CreatedMembers.Add(array);
                    AddElementProperties(model, index, array, facts.CreatedMembers, cancellationToken);
                }
                else if (requestLocal is not null && createdLocals.Add(requestLocal) && EnclosingMember(syntax) is { } body)
                {
                    bodiesWithLocals.Add(body);
                }
                else if (OperationUnwrap.Unwrap(request) is IParameterReferenceOperation { Parameter: { RefKind: RefKind.Out or RefKind.Ref } parameter } &&
                         parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } creator && SymbolIds.IdOf(creator) is { } creatorId)
                {
                    facts.CreatingOutParameters.Add((creatorId, parameter.Ordinal));
                }
            }
            else if ((roles & DdiRole.SendsRequest) != 0)
            {
                if (requestMember is not null)
                {
                    facts.SentMembers.Add(requestMember);
                }
            }
            else if ((roles & DdiRole.SetsCompletionRoutine) != 0)
            {
                // A routine setting itself again, or a helper's parameter, tells nothing here: a starter helper's
                // parameter is driver-created when every caller passes a driver-created request (asked on demand, from
                // the helper's call sites); a request the framework presented (a queue callback's) is not driver-created.
                var parameter = OperationUnwrap.Unwrap(request) is IParameterReferenceOperation { Parameter: var p } && !IsPresentedByTheFramework(p) ? p : null;
                registrations.Add((invocation, requestLocal, requestMember, parameter));
            }
        }

        var helperOutLocals = HelperOutLocals(model, catalog, otherRequestLocals, createdLocals, bodiesWithLocals, facts.TakenOutMembers, cancellationToken);

        // A field assigned from a local that holds a driver-created request (or driver-created memory) holds one too; one
        // assigned a local a helper's out parameter filled holds one when that helper creates it.
        foreach (var body in bodiesWithLocals)
        {
            foreach (var node in body.DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (node is AssignmentExpressionSyntax assignmentSyntax &&
                    model!.GetOperation(assignmentSyntax, cancellationToken) is ISimpleAssignmentOperation assignment &&
                    LocalOf(assignment.Value) is { } value && MemberOf(assignment.Target) is { } target)
                {
                    if (createdLocals.Contains(value))
                    {
                        facts.CreatedMembers.Add(target);
                    }
                    else if (ownedMemoryLocals.Contains(value))
                    {
                        facts.OwnedMemoryMembers.Add(target);
                    }
                    else if (helperOutLocals is not null && helperOutLocals.TryGetValue(value, out var helper))
                    {
                        if (!facts.MembersFromHelpers.TryGetValue(target, out var helpers))
                        {
                            facts.MembersFromHelpers[target] = helpers = new List<(string, int)>(1);
                        }

                        if (!helpers.Contains(helper))
                        {
                            helpers.Add(helper);
                        }
                    }
                }
            }
        }

        foreach (var (member, memory) in memberFormats)
        {
            if (!facts.MemberFormats.TryGetValue(member, out var list))
            {
                facts.MemberFormats[member] = list = new List<List<MemoryArgument>>();
            }

            list.Add(Classify(memory, ownedMemoryLocals));
        }

        foreach (var (invocation, local, member, parameter) in registrations)
        {
            if (parameter is not null)
            {
                if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } starter && SymbolIds.IdOf(starter) is { } starterId)
                {
                    facts.Registrations.Add(RoutineRegistration.From(invocation, false, false, null, null, (starterId, parameter.Ordinal)));
                }

                continue;
            }

            List<List<MemoryArgument>>? ownFormats = null;
            if (local is not null && localFormats.TryGetValue(local, out var formats))
            {
                ownFormats = formats.ConvertAll(memory => Classify(memory, ownedMemoryLocals));
            }

            (string, int)? localFromHelper = local is not null && helperOutLocals is not null && helperOutLocals.TryGetValue(local, out var h) ? h : null;
            facts.Registrations.Add(RoutineRegistration.From(
                invocation, local is not null, local is not null && createdLocals.Contains(local), member, ownFormats, null, localFromHelper));
        }

        return facts;
    }

    /// <summary>
    /// The request locals of <paramref name="candidates"/> (each with its body) that a call of a method of the compilation
    /// fills through an <c>out</c> or <c>ref</c> parameter (<c>HLP_AllocateResourceForWrite(device, target, out request)</c>),
    /// with that method and parameter; null when none. Only those bodies are read, and only calls with such an argument
    /// naming one of the locals are bound. The bodies join <paramref name="bodiesWithLocals"/>. The same walk adds to
    /// <paramref name="takenOut"/> the fields and properties one of the locals is assigned from (only those assignments
    /// are bound).
    /// </summary>
    private static Dictionary<ILocalSymbol, (string MethodId, int Ordinal)>? HelperOutLocals(
        SemanticModel model, DdiCatalog catalog, Dictionary<ILocalSymbol, SyntaxNode> candidates, HashSet<ILocalSymbol> createdLocals,
        HashSet<SyntaxNode> bodiesWithLocals, HashSet<string> takenOut, CancellationToken cancellationToken)
    {
        Dictionary<ILocalSymbol, (string, int)>? result = null;
        HashSet<SyntaxNode>? bodies = null;
        HashSet<ILocalSymbol>? pending = null;
        foreach (var pair in candidates)
        {
            if (!createdLocals.Contains(pair.Key))
            {
                (pending ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Add(pair.Key);
                (bodies ??= new HashSet<SyntaxNode>()).Add(pair.Value);
            }
        }

        if (pending is null || bodies is null)
        {
            return null;
        }

        foreach (var body in bodies)
        {
            foreach (var node in body.DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TakenOutMember(model, node, pending, cancellationToken) is { } member)
                {
                    takenOut.Add(member);
                    continue;
                }

                if (node is not ArgumentSyntax { RefKindKeyword.RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.OutKeyword or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.RefKeyword } argumentSyntax ||
                    argumentSyntax.Parent?.Parent is not InvocationExpressionSyntax invocationSyntax ||
                    InvokedName(invocationSyntax) is not { } name || DdiNames.RolesOfName(name) != 0 ||
                    model.GetOperation(argumentSyntax, cancellationToken) is not IArgumentOperation { Parameter: { } parameter } argument ||
                    LocalOf(argument.Value) is not { } local || !pending.Contains(local) ||
                    parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } helper ||
                    helper.DeclaringSyntaxReferences.IsEmpty || catalog.IsDdi(helper) || SymbolIds.IdOf(helper.OriginalDefinition) is not { } helperId)
                {
                    continue;
                }

                result ??= new Dictionary<ILocalSymbol, (string, int)>(SymbolEqualityComparer.Default);
                result[local] = (helperId, parameter.Ordinal);
                bodiesWithLocals.Add(body);
            }
        }

        return result;
    }

    /// <summary>
    /// The field or property <paramref name="node"/> copies into one of <paramref name="locals"/> (<c>request = ctx.F</c>,
    /// <c>WDFREQUEST request = ctx.F</c>); null for anything else (bound only when the syntax is such a copy).
    /// </summary>
    private static string? TakenOutMember(SemanticModel model, SyntaxNode node, HashSet<ILocalSymbol> locals, CancellationToken cancellationToken)
    {
        ExpressionSyntax? value;
        ISymbol? target;
        switch (node)
        {
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax left, Right: MemberAccessExpressionSyntax or IdentifierNameSyntax or ElementAccessExpressionSyntax } assignment
                when assignment.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression):
                value = assignment.Right;
                target = model.GetSymbolInfo(left, cancellationToken).Symbol;
                break;
            case VariableDeclaratorSyntax { Initializer.Value: MemberAccessExpressionSyntax or IdentifierNameSyntax or ElementAccessExpressionSyntax } declarator:
                value = declarator.Initializer.Value;
                target = model.GetDeclaredSymbol(declarator, cancellationToken);
                break;
            default:
                return null;
        }

        return target is ILocalSymbol local && locals.Contains(local) ? MemberOf(model.GetOperation(value, cancellationToken)) : null;
    }

    /// <summary>
    /// Adds the properties of the tree whose getter is an expression returning an element of the array member
    /// <paramref name="arrayId"/> (<c>public WDFREQUEST I2CAsyncRequest => OutgoingRequests[I2CRequestSourceAsync];</c>):
    /// found from the index's mentions of the array's name, only those getters bound.
    /// </summary>
    private static void AddElementProperties(SemanticModel model, SyntaxTreeIndex index, string arrayId, HashSet<string> members, CancellationToken cancellationToken)
    {
        foreach (var name in NameMentions.Names(model.SyntaxTree, index, SimpleNameOf(arrayId), cancellationToken))
        {
            var access = NameMentions.Expression(name);
            if (access.Parent is not ElementAccessExpressionSyntax elementSyntax || elementSyntax.Expression != access ||
                elementSyntax.Parent is not ArrowExpressionClauseSyntax arrow ||
                (arrow.Parent as PropertyDeclarationSyntax ?? arrow.Parent?.Parent?.Parent as PropertyDeclarationSyntax) is not { } property ||
                model.GetOperation(elementSyntax, cancellationToken) is not IArrayElementReferenceOperation element ||
                MemberOf(element.ArrayReference) != arrayId ||
                model.GetDeclaredSymbol(property, cancellationToken) is not { } symbol || SymbolIds.IdOf(symbol) is not { } propertyId)
            {
                continue;
            }

            members.Add(propertyId);
        }
    }

    /// <summary>Names worth binding: the DDIs that create, send, format, set routines or create memory.</summary>
    private const DdiRole Interesting =
        DdiRole.CreatesMemory | DdiRole.FormatsRequest | DdiRole.CreatesRequest | DdiRole.SendsRequest | DdiRole.SetsCompletionRoutine;

    private static List<MemoryArgument> Classify(List<IOperation> memory, HashSet<ILocalSymbol> ownedMemoryLocals)
    {
        var result = new List<MemoryArgument>(memory.Count);
        foreach (var argument in memory)
        {
            if (MemberOf(argument) is { } member)
            {
                result.Add(new MemoryArgument(owned: false, member));
            }
            else
            {
                result.Add(new MemoryArgument(LocalOf(argument) is { } local && ownedMemoryLocals.Contains(local), null));
            }
        }

        return result;
    }

    /// <summary>The ID of the field or property an operation names (whatever object it is read from).</summary>
    internal static string? MemberOf(IOperation? operation) => OperationUnwrap.Unwrap(operation) switch
    {
        IFieldReferenceOperation field => SymbolIds.IdOf(field.Field),
        IPropertyReferenceOperation { Arguments.IsEmpty: true } property => SymbolIds.IdOf(property.Property),
        _ => null,
    };

    private static ILocalSymbol? LocalOf(IOperation? operation) =>
        (OperationUnwrap.Unwrap(operation) as ILocalReferenceOperation)?.Local;

    /// <summary>
    /// True for the request parameter of a queue callback (<c>EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, …)</c>) or of
    /// <c>EvtIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)</c>: a request the framework presented.
    /// </summary>
    private static bool IsPresentedByTheFramework(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol { Parameters: { Length: >= 2 } parameters } &&
        parameters[0].Type.Name is "WDFQUEUE" or "WDFDEVICE" &&
        parameter.Ordinal == 1;

    internal static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The member whose body holds <paramref name="node"/> (lambdas and local functions included).</summary>
    internal static SyntaxNode? EnclosingMember(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or GlobalStatementSyntax)
            {
                return ancestor is GlobalStatementSyntax ? ancestor.SyntaxTree.GetRoot() : ancestor;
            }
        }

        return null;
    }
}

/// <summary>A memory argument of a format: memory the driver created in that body, a field's memory, or unknown.</summary>
internal readonly struct MemoryArgument
{
    public MemoryArgument(bool owned, string? member)
    {
        Owned = owned;
        Member = member;
    }

    /// <summary>A local the body filled from <c>WdfMemoryCreate*</c>.</summary>
    public bool Owned { get; }

    /// <summary>The field or property the memory is read from (owned when the compilation only fills it with created memory).</summary>
    public string? Member { get; }
}

/// <summary>How a completion context reads in another method of the same type.</summary>
internal enum ContextPortability : byte
{
    /// <summary>A constant, null, <c>default</c>, a static: the same anywhere.</summary>
    Anywhere,

    /// <summary><c>this</c>, or a member of <c>this</c>: the same in instance methods of that type.</summary>
    InstanceOfType,

    /// <summary>A local, a parameter, anything else.</summary>
    Nowhere,
}

/// <summary>One <c>WdfRequestSetCompletionRoutine</c> call, in symbol-free form.</summary>
internal sealed class RoutineRegistration
{
    private RoutineRegistration(
        string? routineId, string? routineTypeId, bool routineIsStatic, bool routineIsOrdinary,
        bool requestIsLocal, bool localCreated, string? requestMember, List<List<MemoryArgument>>? localFormats,
        string routineText, string contextText, ContextPortability portability, string? contextTypeId,
        (string MethodId, int Ordinal)? starterParameter, (string MethodId, int Ordinal)? localFromHelper)
    {
        StarterParameter = starterParameter;
        LocalFromHelper = localFromHelper;
        RoutineId = routineId;
        RoutineTypeId = routineTypeId;
        RoutineIsStatic = routineIsStatic;
        RoutineIsOrdinary = routineIsOrdinary;
        RequestIsLocal = requestIsLocal;
        LocalCreated = localCreated;
        RequestMember = requestMember;
        LocalFormats = localFormats;
        RoutineText = routineText;
        ContextText = contextText;
        Portability = portability;
        ContextTypeId = contextTypeId;
    }

    /// <summary>The routine when it is a method group of a method (not a lambda or local function).</summary>
    public string? RoutineId { get; }

    public string? RoutineTypeId { get; }

    public bool RoutineIsStatic { get; }

    public bool RoutineIsOrdinary { get; }

    /// <summary>The request is a local or a parameter (not a field).</summary>
    public bool RequestIsLocal { get; }

    /// <summary>The request local holds a request from <c>WdfRequestCreate</c> in that body.</summary>
    public bool LocalCreated { get; }

    /// <summary>The field or property the request is held in.</summary>
    public string? RequestMember { get; }

    /// <summary>
    /// The request is a parameter of the registering method (a starter helper: <c>Start(target, original, side)</c>):
    /// that method and the parameter's ordinal. It is driver-created when every call passes a driver-created request.
    /// </summary>
    public (string MethodId, int Ordinal)? StarterParameter { get; }

    /// <summary>
    /// The request local was filled by a call of this method through this <c>out</c>/<c>ref</c> parameter: driver-created
    /// when that method creates a request into it.
    /// </summary>
    public (string MethodId, int Ordinal)? LocalFromHelper { get; }

    /// <summary>The formats of the request local in that body.</summary>
    public List<List<MemoryArgument>>? LocalFormats { get; }

    public string RoutineText { get; }

    public string ContextText { get; }

    public ContextPortability Portability { get; }

    /// <summary>For <see cref="ContextPortability.InstanceOfType"/>: the type whose instance the context is.</summary>
    public string? ContextTypeId { get; }

    public static RoutineRegistration From(
        IInvocationOperation invocation, bool requestIsLocal, bool localCreated, string? requestMember, List<List<MemoryArgument>>? localFormats,
        (string MethodId, int Ordinal)? starterParameter, (string MethodId, int Ordinal)? localFromHelper = null)
    {
        var routineArgument = DdiArguments.CompletionRoutine(invocation);
        var contextArgument = DdiArguments.CompletionContext(invocation);
        var routine = DdiArguments.RoutineMethod(routineArgument);
        var isMethod = routine is { MethodKind: not MethodKind.LocalFunction };
        var (portability, typeId) = Portable(contextArgument);
        return new RoutineRegistration(
            isMethod ? SymbolIds.IdOf(routine!) : null,
            routine is null ? null : SymbolIds.IdOf(routine.ContainingType),
            routine?.IsStatic ?? false,
            routine?.MethodKind == MethodKind.Ordinary,
            requestIsLocal, localCreated, requestMember, localFormats,
            Text(routineArgument), Text(contextArgument), portability, typeId, starterParameter, localFromHelper);
    }

    /// <summary>The operation as the user wrote it.</summary>
    public static string Text(IOperation? operation) =>
        OperationUnwrap.Unwrap(operation) is { } unwrapped && operation!.Syntax is { } syntax
            ? (operation.IsImplicit ? unwrapped.Syntax : syntax).ToString()
            : "?";

    private static (ContextPortability, string?) Portable(IOperation? context)
    {
        context = OperationUnwrap.Unwrap(context);
        switch (context)
        {
            case null:
            case ILiteralOperation:
            case IDefaultValueOperation:
                return (ContextPortability.Anywhere, null);
            case IInstanceReferenceOperation when context.Type is { } type:
                return (ContextPortability.InstanceOfType, SymbolIds.IdOf(type));
            case IFieldReferenceOperation { Field.IsStatic: true }:
            case IPropertyReferenceOperation { Property.IsStatic: true }:
                return (ContextPortability.Anywhere, null);
            case IMemberReferenceOperation member when OperationUnwrap.Unwrap(member.Instance) is IInstanceReferenceOperation:
                return (ContextPortability.InstanceOfType, SymbolIds.IdOf(member.Member.ContainingType));
            default:
                return (context.ConstantValue.HasValue ? ContextPortability.Anywhere : ContextPortability.Nowhere, null);
        }
    }
}

/// <summary>The calls, in one tree, of the methods with one name: by method ID, and the methods used as delegates.</summary>
internal sealed class CallSitesOfName
{
    private static readonly TreeFacts<CallSitesOfName> Cache = new();

    public Dictionary<string, List<CallSite>> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Methods named in this tree other than by a call (a method group: whoever holds the delegate calls it).</summary>
    public HashSet<string> OtherUses { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The calls of methods named <paramref name="name"/> in <paramref name="tree"/> (bound once per tree and name; the
    /// tree's <paramref name="index"/> says where the name occurs).
    /// </summary>
    public static CallSitesOfName For(AnalysisSession session, SyntaxTree tree, SyntaxTreeIndex index, string name, CancellationToken cancellationToken) =>
        Cache.Get(session, tree, name, (model, ct) => Build(model, index, name, session.Catalog, ct), cancellationToken);

    private static CallSitesOfName Build(SemanticModel model, SyntaxTreeIndex index, string name, DdiCatalog catalog, CancellationToken cancellationToken)
    {
        var result = new CallSitesOfName();
        foreach (var simple in NameMentions.Names(model.SyntaxTree, index, name, cancellationToken))
        {
            if (model.GetSymbolInfo(simple, cancellationToken).Symbol is not IMethodSymbol method || SymbolIds.IdOf(method) is not { } id)
            {
                continue;
            }

            if (NameMentions.CallOf(simple) is not { } call ||
                TreeRequestFacts.EnclosingMember(call) is not { } callerBody ||
                model.GetDeclaredSymbol(callerBody, cancellationToken) is not IMethodSymbol caller || SymbolIds.IdOf(caller) is not { } callerId)
            {
                result.OtherUses.Add(id);
                continue;
            }

            if (!result.Calls.TryGetValue(id, out var list))
            {
                result.Calls[id] = list = new List<CallSite>();
            }

            list.Add(CallSite.Build(call, callerBody, caller, callerId, model, catalog, cancellationToken));
        }

        return result;
    }
}

/// <summary>A call of a method and what its caller did, in its text, before it: which field-held requests it reused or created.</summary>
internal sealed class CallSite
{
    private CallSite(string callerId, HashSet<string> reusedMembers, bool reusedFirstParameter, string?[] argumentMembers)
    {
        ArgumentMembers = argumentMembers;
        CallerId = callerId;
        ReusedMembers = reusedMembers;
        ReusedFirstParameter = reusedFirstParameter;
    }

    public string CallerId { get; }

    /// <summary>Fields and properties whose request the caller reused or created before the call.</summary>
    public HashSet<string> ReusedMembers { get; }

    /// <summary>The field or property each argument reads, by the callee's parameter ordinal (null: not a member).</summary>
    public string?[] ArgumentMembers { get; }

    /// <summary>The caller reused (or created) its own first parameter, a completion routine's request, before the call.</summary>
    public bool ReusedFirstParameter { get; }

    public static CallSite Build(
        InvocationExpressionSyntax call, SyntaxNode callerBody, IMethodSymbol caller, string callerId, SemanticModel model,
        DdiCatalog catalog, CancellationToken cancellationToken)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        var firstParameter = false;
        foreach (var node in callerBody.DescendantNodes())
        {
            if (node.SpanStart >= call.SpanStart)
            {
                break;
            }

            if (node is not InvocationExpressionSyntax syntax || TreeRequestFacts.InvokedName(syntax) is not { } name ||
                (DdiNames.RolesOfName(name) & (DdiRole.ReusesRequest | DdiRole.CreatesRequest)) == 0 ||
                model.GetOperation(syntax, cancellationToken) is not IInvocationOperation invocation ||
                !catalog.Has(invocation.TargetMethod, DdiRole.ReusesRequest | DdiRole.CreatesRequest))
            {
                continue;
            }

            var request = DdiArguments.Request(invocation);
            if (TreeRequestFacts.MemberOf(request) is { } member)
            {
                members.Add(member);
            }
            else if (OperationUnwrap.Unwrap(request) is IParameterReferenceOperation { Parameter: { Ordinal: 0 } parameter } &&
                     SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, caller.OriginalDefinition))
            {
                firstParameter = true;
            }
        }

        var arguments = System.Array.Empty<string?>();
        if (model.GetOperation(call, cancellationToken) is IInvocationOperation bound)
        {
            arguments = new string?[bound.TargetMethod.Parameters.Length];
            foreach (var argument in bound.Arguments)
            {
                if (argument.Parameter is { } parameter && parameter.Ordinal < arguments.Length)
                {
                    arguments[parameter.Ordinal] = TreeRequestFacts.MemberOf(argument.Value);
                }
            }
        }

        return new CallSite(callerId, members, firstParameter, arguments);
    }
}
