using NodaTime;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using static Prepay.Dlms.Cosem.Classes.CosemValues;

namespace Prepay.Dlms.Cosem.Classes;

/// <summary>token_status code of Token gateway (Blue Book Ed. 12 §4.6.5).</summary>
public enum TokenStatusCode : byte
{
    FormatOk = 0,
    AuthenticationOk = 1,
    ValidationOk = 2,
    ExecutionOk = 3,
    FormatFailure = 4,
    AuthenticationFailure = 5,
    ValidationFailure = 6,
    ExecutionFailure = 7,
    ReceivedNotProcessed = 8,
}

/// <summary>
/// Token gateway, class 115 version 0 (Blue Book Ed. 12 §4.6.5), e.g. 0.0.19.40.0.255: 2 token (the last one
/// entered), 3 token_time, 4 token_description, 5 token_delivery_method (0 remote, 1 local, 2 manual),
/// 6 token_status { status_code enum, data_value bit-string }. Method 1 enter(octet-string) hands the token to
/// the meter's token processor (an STS token as its 20 digits, say) and records its status. The ACTION succeeds
/// when the token was received; whether it was accepted is in token_status, as the Blue Book separates them.
/// </summary>
public sealed class TokenGateway : CosemObject
{
    private readonly Func<Octets, TokenStatusCode> _process;
    private readonly Func<Instant> _now;
    private readonly Offset _offset;
    private Octets _token = Octets.Empty;
    private DlmsValue _time = UnspecifiedDateTime;
    private TokenStatusCode _status = TokenStatusCode.ReceivedNotProcessed;

    public TokenGateway(ObisCode logicalName, Func<Octets, TokenStatusCode> process, Func<Instant> now, Offset offset = default) : base(logicalName)
    {
        _process = process ?? throw new ArgumentNullException(nameof(process));
        _now = now ?? throw new ArgumentNullException(nameof(now));
        _offset = offset;
    }

    public static ObisCode StandardName { get; } = new(0, 0, 19, 40, 0, 255);

    public override ushort ClassId => 115;

    public override int AttributeCount => 6;

    public override int MethodCount => 1;

    public TokenStatusCode LastStatus
    {
        get
        {
            lock (Sync)
            {
                return _status;
            }
        }
    }

    protected override AttributeRead Read(int attributeId) => attributeId switch
    {
        2 => AttributeRead.Of(new OctetString(_token)),
        3 => AttributeRead.Of(_time),
        4 => AttributeRead.Of(Array([])),
        5 => AttributeRead.Of(new DlmsEnum(0)),
        _ => AttributeRead.Of(Structure(new DlmsEnum((byte)_status), Bits8(0))),
    };

    protected override MethodOutcome Call(int methodId, DlmsValue? parameters)
    {
        if (parameters is not OctetString token)
        {
            return MethodOutcome.Of(ActionResult.TypeUnmatched);
        }
        _token = token.Value;
        _time = DateTime(CosemDateTime.From(_now().WithOffset(_offset)));
        _status = _process(token.Value);
        return MethodOutcome.Success;
    }
}
