using CsCheck;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Security;
using G = Prepay.Dlms.Tests.Generators;

namespace Prepay.Dlms.Tests.Apdus;

/// <summary>Generators for every APDU variant, every optional field both present and absent.</summary>
internal static class ApduGenerators
{
    private static readonly Gen<InvokeIdAndPriority> Invoke = Gen.Byte.Select(b => new InvokeIdAndPriority(b));

    private static readonly Gen<DataAccessResult> AccessResult = Gen.Byte.Select(b => (DataAccessResult)b);

    private static readonly Gen<GetDataResult> DataResult = Gen.OneOf(
        G.Value.Select(v => (GetDataResult)new GetDataValue(v)),
        AccessResult.Select(r => (GetDataResult)new GetDataFailure(r)));

    private static readonly Gen<DataBlock> Block =
        Gen.Select(Gen.Bool, Gen.UInt, G.Octets).Select(t => new DataBlock(t.Item1, t.Item2, t.Item3));

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : struct =>
        Gen.Frequency((1, Gen.Const(() => (T?)null)), (2, gen.Select(v => (T?)v)));

    private static Gen<T?> MaybeRef<T>(Gen<T> gen) where T : class =>
        Gen.Frequency((1, Gen.Const(() => (T?)null)), (2, gen.Select(v => (T?)v)));

    private static readonly Gen<Conformance> ConformanceBits = Gen.UInt[0, 0xFFFFFF].Select(v => (Conformance)v);

    private static readonly Gen<Apdu> Get = Gen.OneOf(
        Gen.Select(Invoke, G.Attribute, G.Access).Select(t => (Apdu)new GetRequestNormal(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Invoke, Gen.UInt).Select(t => (Apdu)new GetRequestNext(t.Item1, t.Item2)),
        Gen.Select(Invoke, G.AttributeWithSelection.Array[0, 4]).Select(t => (Apdu)new GetRequestWithList(t.Item1, new ValueList<AttributeWithSelection>(t.Item2))),
        Gen.Select(Invoke, DataResult).Select(t => (Apdu)new GetResponseNormal(t.Item1, t.Item2)),
        Gen.Select(Invoke, Gen.Bool, Gen.UInt, G.Octets).Select(t => (Apdu)new GetResponseWithDataBlock(t.Item1, t.Item2, t.Item3, t.Item4)),
        Gen.Select(Invoke, Gen.Bool, Gen.UInt, AccessResult).Select(t => (Apdu)new GetResponseWithDataBlock(t.Item1, t.Item2, t.Item3, global::Prepay.Dlms.Octets.Empty, t.Item4)),
        Gen.Select(Invoke, DataResult.Array[0, 4]).Select(t => (Apdu)new GetResponseWithList(t.Item1, new ValueList<GetDataResult>(t.Item2))));

    private static readonly Gen<Apdu> Set = Gen.OneOf(
        Gen.Select(Invoke, G.Attribute, G.Access, G.Value).Select(t => (Apdu)new SetRequestNormal(t.Item1, t.Item2, t.Item3, t.Item4)),
        Gen.Select(Invoke, G.Attribute, G.Access, Block).Select(t => (Apdu)new SetRequestWithFirstDataBlock(t.Item1, t.Item2, t.Item3, t.Item4)),
        Gen.Select(Invoke, Block).Select(t => (Apdu)new SetRequestWithDataBlock(t.Item1, t.Item2)),
        Gen.Select(Invoke, G.AttributeWithSelection.Array[0, 3], G.Value.Array[0, 3]).Select(t =>
            (Apdu)new SetRequestWithList(t.Item1, new ValueList<AttributeWithSelection>(t.Item2), new ValueList<DlmsValue>(t.Item3))),
        Gen.Select(Invoke, AccessResult).Select(t => (Apdu)new SetResponseNormal(t.Item1, t.Item2)),
        Gen.Select(Invoke, Gen.UInt).Select(t => (Apdu)new SetResponseDataBlock(t.Item1, t.Item2)),
        Gen.Select(Invoke, AccessResult, Gen.UInt).Select(t => (Apdu)new SetResponseLastDataBlock(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Invoke, AccessResult.Array[0, 5], Gen.UInt).Select(t =>
            (Apdu)new SetResponseLastDataBlockWithList(t.Item1, new ValueList<DataAccessResult>(t.Item2), t.Item3)),
        Gen.Select(Invoke, AccessResult.Array[0, 5]).Select(t => (Apdu)new SetResponseWithList(t.Item1, new ValueList<DataAccessResult>(t.Item2))));

    private static readonly Gen<ActionOutcome> Outcome =
        Gen.Select(Gen.Byte, MaybeRef(DataResult)).Select(t => new ActionOutcome((ActionResult)t.Item1, t.Item2));

    private static readonly Gen<Apdu> Action = Gen.OneOf(
        Gen.Select(Invoke, G.Method, MaybeRef(G.Value)).Select(t => (Apdu)new ActionRequestNormal(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Invoke, Gen.UInt).Select(t => (Apdu)new ActionRequestNextPBlock(t.Item1, t.Item2)),
        Gen.Select(Invoke, G.Method.Array[0, 3], G.Value.Array[0, 3]).Select(t =>
            (Apdu)new ActionRequestWithList(t.Item1, new ValueList<CosemMethodDescriptor>(t.Item2), new ValueList<DlmsValue>(t.Item3))),
        Gen.Select(Invoke, G.Method, Block).Select(t => (Apdu)new ActionRequestWithFirstPBlock(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Invoke, Block).Select(t => (Apdu)new ActionRequestWithPBlock(t.Item1, t.Item2)),
        Gen.Select(Invoke, Outcome).Select(t => (Apdu)new ActionResponseNormal(t.Item1, t.Item2)),
        Gen.Select(Invoke, Block).Select(t => (Apdu)new ActionResponseWithPBlock(t.Item1, t.Item2)),
        Gen.Select(Invoke, Outcome.Array[0, 3]).Select(t => (Apdu)new ActionResponseWithList(t.Item1, new ValueList<ActionOutcome>(t.Item2))),
        Gen.Select(Invoke, Gen.UInt).Select(t => (Apdu)new ActionResponseNextPBlock(t.Item1, t.Item2)));

    private static readonly Gen<Apdu> Notifications = Gen.OneOf(
        Gen.Select(Gen.UInt, Maybe(G.DateTime), G.Value).Select(t => (Apdu)new DataNotification(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Maybe(G.DateTime), G.Attribute, G.Value).Select(t => (Apdu)new EventNotification(t.Item1, t.Item2, t.Item3)),
        Gen.Select(Gen.Byte, Gen.Byte).Select(t => (Apdu)new ExceptionResponse((StateError)t.Item1, (ServiceError)t.Item2, t.Item2 == 5 ? 7u : null)),
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte).Select(t => (Apdu)new ConfirmedServiceError(t.Item1, t.Item2, t.Item3)));

    private static readonly Gen<ApplicationContext> Context = Gen.Byte[0, 0x7F].Select(b => (ApplicationContext)b);

    private static readonly Gen<AuthenticationMechanism> Mechanism = Gen.Byte[0, 0x7F].Select(b => (AuthenticationMechanism)b);

    private static readonly Gen<Apdu> Association = Gen.OneOf(
        Gen.Select(ConformanceBits, Gen.UShort, Gen.Byte, Maybe(G.Octets), Gen.Bool, Maybe(Gen.SByte)).Select(t =>
            (Apdu)new InitiateRequest(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6)),
        Gen.Select(ConformanceBits, Gen.UShort, Gen.Byte, Gen.Short, Maybe(Gen.SByte)).Select(t =>
            (Apdu)new InitiateResponse(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5)),
        Gen.Select(Context, Maybe(G.Octets), Maybe(G.NonEmptyOctets), Maybe(Mechanism), Maybe(G.Octets)).Select(t =>
            (Apdu)new Aarq(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5)),
        Gen.Select(Context, Gen.Byte, Gen.Bool, Gen.Byte, Maybe(G.Octets), Maybe(G.Octets), Maybe(Mechanism)).SelectMany(t =>
            Maybe(G.Octets).Select(value => (Apdu)new Aare(
                t.Item1, (AssociationResult)t.Item2,
                new AssociateDiagnostic(t.Item3 ? DiagnosticSource.ServiceUser : DiagnosticSource.ServiceProvider, t.Item4),
                t.Item5, t.Item6, t.Item7, value))),
        Gen.Select(Maybe(Gen.Byte), Maybe(G.Octets)).Select(t => (Apdu)new Rlrq((ReleaseRequestReason?)t.Item1, t.Item2)),
        Gen.Select(Maybe(Gen.Byte), Maybe(G.Octets)).Select(t => (Apdu)new Rlre((ReleaseResponseReason?)t.Item1, t.Item2)));

    private static readonly Gen<Apdu> Ciphered = Gen.OneOf(
        Gen.Select(Pick(CipheredApdu.Tags.ToArray()), Gen.Byte, Gen.UInt, G.Octets).Select(t =>
            (Apdu)new CipheredApdu(t.Item1, new SecurityControl(t.Item2), t.Item3, t.Item4)),
        Gen.Select(G.Octets, Gen.Byte, Gen.UInt, G.Octets).Select(t =>
            (Apdu)new GeneralGloCiphering(t.Item1, new SecurityControl(t.Item2), t.Item3, t.Item4)));

    private static Gen<T> Pick<T>(T[] items) => G.Pick(items);

    public static readonly Gen<Apdu> Any = Gen.OneOf(Get, Set, Action, Notifications, Association, Ciphered);
}
