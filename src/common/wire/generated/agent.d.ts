import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace vigil. */
export namespace vigil {

    /** Namespace v1. */
    namespace v1 {

        /** Properties of an EnrollRequest. */
        interface IEnrollRequest {

            /** EnrollRequest enrollmentToken */
            enrollmentToken?: (string|null);

            /** EnrollRequest publicKeyPem */
            publicKeyPem?: (string|null);

            /** EnrollRequest hostname */
            hostname?: (string|null);

            /** EnrollRequest machineId */
            machineId?: (string|null);
        }

        /** Represents an EnrollRequest. */
        class EnrollRequest implements IEnrollRequest {

            /**
             * Constructs a new EnrollRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IEnrollRequest);

            /** EnrollRequest enrollmentToken. */
            public enrollmentToken: string;

            /** EnrollRequest publicKeyPem. */
            public publicKeyPem: string;

            /** EnrollRequest hostname. */
            public hostname: string;

            /** EnrollRequest machineId. */
            public machineId: string;

            /**
             * Encodes the specified EnrollRequest message. Does not implicitly {@link vigil.v1.EnrollRequest.verify|verify} messages.
             * @param message EnrollRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IEnrollRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an EnrollRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns EnrollRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.EnrollRequest;
        }

        /** Properties of an EnrollResponse. */
        interface IEnrollResponse {

            /** EnrollResponse agentId */
            agentId?: (string|null);

            /** EnrollResponse clientCertificatePem */
            clientCertificatePem?: (string|null);

            /** EnrollResponse caCertificatePem */
            caCertificatePem?: (string|null);
        }

        /** Represents an EnrollResponse. */
        class EnrollResponse implements IEnrollResponse {

            /**
             * Constructs a new EnrollResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IEnrollResponse);

            /** EnrollResponse agentId. */
            public agentId: string;

            /** EnrollResponse clientCertificatePem. */
            public clientCertificatePem: string;

            /** EnrollResponse caCertificatePem. */
            public caCertificatePem: string;

            /**
             * Encodes the specified EnrollResponse message. Does not implicitly {@link vigil.v1.EnrollResponse.verify|verify} messages.
             * @param message EnrollResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IEnrollResponse, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an EnrollResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns EnrollResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.EnrollResponse;
        }

        /** Properties of an AgentMessage. */
        interface IAgentMessage {

            /** AgentMessage hello */
            hello?: (vigil.v1.IHello|null);

            /** AgentMessage snapshot */
            snapshot?: (vigil.v1.ISnapshotChunk|null);

            /** AgentMessage delta */
            delta?: (vigil.v1.IDelta|null);

            /** AgentMessage heartbeat */
            heartbeat?: (vigil.v1.IHeartbeat|null);

            /** AgentMessage commandResult */
            commandResult?: (vigil.v1.ICommandResult|null);
        }

        /** Represents an AgentMessage. */
        class AgentMessage implements IAgentMessage {

            /**
             * Constructs a new AgentMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IAgentMessage);

            /** AgentMessage hello. */
            public hello?: (vigil.v1.IHello|null);

            /** AgentMessage snapshot. */
            public snapshot?: (vigil.v1.ISnapshotChunk|null);

            /** AgentMessage delta. */
            public delta?: (vigil.v1.IDelta|null);

            /** AgentMessage heartbeat. */
            public heartbeat?: (vigil.v1.IHeartbeat|null);

            /** AgentMessage commandResult. */
            public commandResult?: (vigil.v1.ICommandResult|null);

            /** AgentMessage kind. */
            public kind?: ("hello"|"snapshot"|"delta"|"heartbeat"|"commandResult");

            /**
             * Encodes the specified AgentMessage message. Does not implicitly {@link vigil.v1.AgentMessage.verify|verify} messages.
             * @param message AgentMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IAgentMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AgentMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AgentMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.AgentMessage;
        }

        /** Properties of a Hello. */
        interface IHello {

            /** Hello agentVersion */
            agentVersion?: (string|null);

            /** Hello agentEpoch */
            agentEpoch?: (number|Long|null);

            /** Hello lastAckedSeq */
            lastAckedSeq?: (number|Long|null);

            /** Hello capabilities */
            capabilities?: (string[]|null);

            /** Hello tags */
            tags?: (string[]|null);
        }

        /** Represents a Hello. */
        class Hello implements IHello {

            /**
             * Constructs a new Hello.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IHello);

            /** Hello agentVersion. */
            public agentVersion: string;

            /** Hello agentEpoch. */
            public agentEpoch: (number|Long);

            /** Hello lastAckedSeq. */
            public lastAckedSeq: (number|Long);

            /** Hello capabilities. */
            public capabilities: string[];

            /** Hello tags. */
            public tags: string[];

            /**
             * Encodes the specified Hello message. Does not implicitly {@link vigil.v1.Hello.verify|verify} messages.
             * @param message Hello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IHello, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Hello;
        }

        /** Properties of a SnapshotChunk. */
        interface ISnapshotChunk {

            /** SnapshotChunk epoch */
            epoch?: (number|Long|null);

            /** SnapshotChunk seq */
            seq?: (number|Long|null);

            /** SnapshotChunk chunkIndex */
            chunkIndex?: (number|null);

            /** SnapshotChunk chunkCount */
            chunkCount?: (number|null);

            /** SnapshotChunk components */
            components?: (vigil.v1.IComponent[]|null);

            /** SnapshotChunk digest */
            digest?: (Uint8Array|null);

            /** SnapshotChunk ports */
            ports?: (vigil.v1.IPortSet|null);

            /** SnapshotChunk facts */
            facts?: (vigil.v1.IHostFacts|null);

            /** SnapshotChunk os */
            os?: (vigil.v1.IOsInfo|null);

            /** SnapshotChunk kernel */
            kernel?: (vigil.v1.IKernelInfo|null);

            /** SnapshotChunk inUse */
            inUse?: (vigil.v1.IInUseSet|null);
        }

        /** Represents a SnapshotChunk. */
        class SnapshotChunk implements ISnapshotChunk {

            /**
             * Constructs a new SnapshotChunk.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.ISnapshotChunk);

            /** SnapshotChunk epoch. */
            public epoch: (number|Long);

            /** SnapshotChunk seq. */
            public seq: (number|Long);

            /** SnapshotChunk chunkIndex. */
            public chunkIndex: number;

            /** SnapshotChunk chunkCount. */
            public chunkCount: number;

            /** SnapshotChunk components. */
            public components: vigil.v1.IComponent[];

            /** SnapshotChunk digest. */
            public digest: Uint8Array;

            /** SnapshotChunk ports. */
            public ports?: (vigil.v1.IPortSet|null);

            /** SnapshotChunk facts. */
            public facts?: (vigil.v1.IHostFacts|null);

            /** SnapshotChunk os. */
            public os?: (vigil.v1.IOsInfo|null);

            /** SnapshotChunk kernel. */
            public kernel?: (vigil.v1.IKernelInfo|null);

            /** SnapshotChunk inUse. */
            public inUse?: (vigil.v1.IInUseSet|null);

            /**
             * Encodes the specified SnapshotChunk message. Does not implicitly {@link vigil.v1.SnapshotChunk.verify|verify} messages.
             * @param message SnapshotChunk message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.ISnapshotChunk, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SnapshotChunk message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns SnapshotChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.SnapshotChunk;
        }

        /** Properties of a Delta. */
        interface IDelta {

            /** Delta epoch */
            epoch?: (number|Long|null);

            /** Delta baseSeq */
            baseSeq?: (number|Long|null);

            /** Delta seq */
            seq?: (number|Long|null);

            /** Delta added */
            added?: (vigil.v1.IComponent[]|null);

            /** Delta removedKeys */
            removedKeys?: (string[]|null);

            /** Delta ports */
            ports?: (vigil.v1.IPortSet|null);

            /** Delta facts */
            facts?: (vigil.v1.IHostFacts|null);

            /** Delta digestAfter */
            digestAfter?: (Uint8Array|null);

            /** Delta os */
            os?: (vigil.v1.IOsInfo|null);

            /** Delta kernel */
            kernel?: (vigil.v1.IKernelInfo|null);

            /** Delta inUse */
            inUse?: (vigil.v1.IInUseSet|null);
        }

        /** Represents a Delta. */
        class Delta implements IDelta {

            /**
             * Constructs a new Delta.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IDelta);

            /** Delta epoch. */
            public epoch: (number|Long);

            /** Delta baseSeq. */
            public baseSeq: (number|Long);

            /** Delta seq. */
            public seq: (number|Long);

            /** Delta added. */
            public added: vigil.v1.IComponent[];

            /** Delta removedKeys. */
            public removedKeys: string[];

            /** Delta ports. */
            public ports?: (vigil.v1.IPortSet|null);

            /** Delta facts. */
            public facts?: (vigil.v1.IHostFacts|null);

            /** Delta digestAfter. */
            public digestAfter: Uint8Array;

            /** Delta os. */
            public os?: (vigil.v1.IOsInfo|null);

            /** Delta kernel. */
            public kernel?: (vigil.v1.IKernelInfo|null);

            /** Delta inUse. */
            public inUse?: (vigil.v1.IInUseSet|null);

            /**
             * Encodes the specified Delta message. Does not implicitly {@link vigil.v1.Delta.verify|verify} messages.
             * @param message Delta message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IDelta, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Delta message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Delta
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Delta;
        }

        /** Properties of a Heartbeat. */
        interface IHeartbeat {

            /** Heartbeat seq */
            seq?: (number|Long|null);

            /** Heartbeat digest */
            digest?: (Uint8Array|null);

            /** Heartbeat rescanRequestId */
            rescanRequestId?: (string|null);
        }

        /** Represents a Heartbeat. */
        class Heartbeat implements IHeartbeat {

            /**
             * Constructs a new Heartbeat.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IHeartbeat);

            /** Heartbeat seq. */
            public seq: (number|Long);

            /** Heartbeat digest. */
            public digest: Uint8Array;

            /** Heartbeat rescanRequestId. */
            public rescanRequestId: string;

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link vigil.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IHeartbeat, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Heartbeat;
        }

        /** Properties of a CommandResult. */
        interface ICommandResult {

            /** CommandResult commandId */
            commandId?: (string|null);

            /** CommandResult signedResult */
            signedResult?: (Uint8Array|null);
        }

        /** Represents a CommandResult. */
        class CommandResult implements ICommandResult {

            /**
             * Constructs a new CommandResult.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.ICommandResult);

            /** CommandResult commandId. */
            public commandId: string;

            /** CommandResult signedResult. */
            public signedResult: Uint8Array;

            /**
             * Encodes the specified CommandResult message. Does not implicitly {@link vigil.v1.CommandResult.verify|verify} messages.
             * @param message CommandResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.ICommandResult, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a CommandResult message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns CommandResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.CommandResult;
        }

        /** Properties of a ServerMessage. */
        interface IServerMessage {

            /** ServerMessage welcome */
            welcome?: (vigil.v1.IWelcome|null);

            /** ServerMessage ack */
            ack?: (vigil.v1.IAck|null);

            /** ServerMessage resync */
            resync?: (vigil.v1.IResyncRequest|null);

            /** ServerMessage rescan */
            rescan?: (vigil.v1.IRescanRequest|null);

            /** ServerMessage command */
            command?: (vigil.v1.ISignedCommand|null);
        }

        /** Represents a ServerMessage. */
        class ServerMessage implements IServerMessage {

            /**
             * Constructs a new ServerMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IServerMessage);

            /** ServerMessage welcome. */
            public welcome?: (vigil.v1.IWelcome|null);

            /** ServerMessage ack. */
            public ack?: (vigil.v1.IAck|null);

            /** ServerMessage resync. */
            public resync?: (vigil.v1.IResyncRequest|null);

            /** ServerMessage rescan. */
            public rescan?: (vigil.v1.IRescanRequest|null);

            /** ServerMessage command. */
            public command?: (vigil.v1.ISignedCommand|null);

            /** ServerMessage kind. */
            public kind?: ("welcome"|"ack"|"resync"|"rescan"|"command");

            /**
             * Encodes the specified ServerMessage message. Does not implicitly {@link vigil.v1.ServerMessage.verify|verify} messages.
             * @param message ServerMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IServerMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ServerMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ServerMessage;
        }

        /** Properties of a Welcome. */
        interface IWelcome {

            /** Welcome seq */
            seq?: (number|Long|null);

            /** Welcome epoch */
            epoch?: (number|Long|null);

            /** Welcome snapshotNeeded */
            snapshotNeeded?: (boolean|null);
        }

        /** Represents a Welcome. */
        class Welcome implements IWelcome {

            /**
             * Constructs a new Welcome.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IWelcome);

            /** Welcome seq. */
            public seq: (number|Long);

            /** Welcome epoch. */
            public epoch: (number|Long);

            /** Welcome snapshotNeeded. */
            public snapshotNeeded: boolean;

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link vigil.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IWelcome, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Welcome;
        }

        /** Properties of an Ack. */
        interface IAck {

            /** Ack seq */
            seq?: (number|Long|null);
        }

        /** Represents an Ack. */
        class Ack implements IAck {

            /**
             * Constructs a new Ack.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IAck);

            /** Ack seq. */
            public seq: (number|Long);

            /**
             * Encodes the specified Ack message. Does not implicitly {@link vigil.v1.Ack.verify|verify} messages.
             * @param message Ack message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IAck, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Ack;
        }

        /** ResyncReason enum. */
        enum ResyncReason {
            RESYNC_REASON_UNSPECIFIED = 0,
            RESYNC_REASON_SEQ_GAP = 1,
            RESYNC_REASON_DIGEST_MISMATCH = 2,
            RESYNC_REASON_EPOCH_CHANGED = 3,
            RESYNC_REASON_SERVER_STATE_LOST = 4
        }

        /** Properties of a ResyncRequest. */
        interface IResyncRequest {

            /** ResyncRequest reason */
            reason?: (vigil.v1.ResyncReason|null);

            /** ResyncRequest detail */
            detail?: (string|null);
        }

        /** Represents a ResyncRequest. */
        class ResyncRequest implements IResyncRequest {

            /**
             * Constructs a new ResyncRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IResyncRequest);

            /** ResyncRequest reason. */
            public reason: vigil.v1.ResyncReason;

            /** ResyncRequest detail. */
            public detail: string;

            /**
             * Encodes the specified ResyncRequest message. Does not implicitly {@link vigil.v1.ResyncRequest.verify|verify} messages.
             * @param message ResyncRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IResyncRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ResyncRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ResyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ResyncRequest;
        }

        /** Properties of a RescanRequest. */
        interface IRescanRequest {

            /** RescanRequest requestId */
            requestId?: (string|null);
        }

        /** Represents a RescanRequest. */
        class RescanRequest implements IRescanRequest {

            /**
             * Constructs a new RescanRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IRescanRequest);

            /** RescanRequest requestId. */
            public requestId: string;

            /**
             * Encodes the specified RescanRequest message. Does not implicitly {@link vigil.v1.RescanRequest.verify|verify} messages.
             * @param message RescanRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IRescanRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RescanRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns RescanRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.RescanRequest;
        }

        /** Properties of a SignedCommand. */
        interface ISignedCommand {

            /** SignedCommand envelope */
            envelope?: (Uint8Array|null);
        }

        /** Represents a SignedCommand. */
        class SignedCommand implements ISignedCommand {

            /**
             * Constructs a new SignedCommand.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.ISignedCommand);

            /** SignedCommand envelope. */
            public envelope: Uint8Array;

            /**
             * Encodes the specified SignedCommand message. Does not implicitly {@link vigil.v1.SignedCommand.verify|verify} messages.
             * @param message SignedCommand message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.ISignedCommand, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SignedCommand message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns SignedCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.SignedCommand;
        }

        /** Ecosystem enum. */
        enum Ecosystem {
            ECOSYSTEM_UNSPECIFIED = 0,
            ECOSYSTEM_DEB = 1,
            ECOSYSTEM_RPM = 2,
            ECOSYSTEM_APK = 3,
            ECOSYSTEM_NPM = 4,
            ECOSYSTEM_PYPI = 5,
            ECOSYSTEM_MAVEN = 6,
            ECOSYSTEM_GOLANG = 7,
            ECOSYSTEM_GENERIC = 8,
            ECOSYSTEM_CARGO = 9,
            ECOSYSTEM_GEM = 10,
            ECOSYSTEM_NUGET = 11,
            ECOSYSTEM_COMPOSER = 12
        }

        /** Properties of a Component. */
        interface IComponent {

            /** Component ecosystem */
            ecosystem?: (vigil.v1.Ecosystem|null);

            /** Component name */
            name?: (string|null);

            /** Component version */
            version?: (string|null);

            /** Component namespace */
            namespace?: (string|null);

            /** Component arch */
            arch?: (string|null);

            /** Component epoch */
            epoch?: (number|null);

            /** Component release */
            release?: (string|null);

            /** Component sourceName */
            sourceName?: (string|null);

            /** Component sourceVersion */
            sourceVersion?: (string|null);

            /** Component purl */
            purl?: (string|null);

            /** Component locations */
            locations?: (string[]|null);

            /** Component licenses */
            licenses?: (string[]|null);

            /** Component foundBy */
            foundBy?: (string|null);

            /** Component metadata */
            metadata?: ({ [k: string]: string }|null);

            /** Component ecosystemName */
            ecosystemName?: (string|null);
        }

        /** Represents a Component. */
        class Component implements IComponent {

            /**
             * Constructs a new Component.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IComponent);

            /** Component ecosystem. */
            public ecosystem: vigil.v1.Ecosystem;

            /** Component name. */
            public name: string;

            /** Component version. */
            public version: string;

            /** Component namespace. */
            public namespace?: (string|null);

            /** Component arch. */
            public arch?: (string|null);

            /** Component epoch. */
            public epoch?: (number|null);

            /** Component release. */
            public release?: (string|null);

            /** Component sourceName. */
            public sourceName?: (string|null);

            /** Component sourceVersion. */
            public sourceVersion?: (string|null);

            /** Component purl. */
            public purl: string;

            /** Component locations. */
            public locations: string[];

            /** Component licenses. */
            public licenses: string[];

            /** Component foundBy. */
            public foundBy: string;

            /** Component metadata. */
            public metadata: { [k: string]: string };

            /** Component ecosystemName. */
            public ecosystemName?: (string|null);

            /**
             * Encodes the specified Component message. Does not implicitly {@link vigil.v1.Component.verify|verify} messages.
             * @param message Component message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IComponent, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Component message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Component
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Component;
        }

        /** Properties of an InUseSet. */
        interface IInUseSet {

            /** InUseSet keys */
            keys?: (string[]|null);
        }

        /** Represents an InUseSet. */
        class InUseSet implements IInUseSet {

            /**
             * Constructs a new InUseSet.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IInUseSet);

            /** InUseSet keys. */
            public keys: string[];

            /**
             * Encodes the specified InUseSet message. Does not implicitly {@link vigil.v1.InUseSet.verify|verify} messages.
             * @param message InUseSet message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IInUseSet, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an InUseSet message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns InUseSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.InUseSet;
        }

        /** Properties of a PortSet. */
        interface IPortSet {

            /** PortSet ports */
            ports?: (vigil.v1.IListeningPort[]|null);
        }

        /** Represents a PortSet. */
        class PortSet implements IPortSet {

            /**
             * Constructs a new PortSet.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IPortSet);

            /** PortSet ports. */
            public ports: vigil.v1.IListeningPort[];

            /**
             * Encodes the specified PortSet message. Does not implicitly {@link vigil.v1.PortSet.verify|verify} messages.
             * @param message PortSet message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IPortSet, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PortSet message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns PortSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.PortSet;
        }

        /** Protocol enum. */
        enum Protocol {
            PROTOCOL_UNSPECIFIED = 0,
            PROTOCOL_TCP = 1,
            PROTOCOL_TCP6 = 2,
            PROTOCOL_UDP = 3,
            PROTOCOL_UDP6 = 4
        }

        /** Exposure enum. */
        enum Exposure {
            EXPOSURE_UNSPECIFIED = 0,
            EXPOSURE_LOOPBACK = 1,
            EXPOSURE_PRIVATE = 2,
            EXPOSURE_ANY = 3
        }

        /** Properties of a ListeningPort. */
        interface IListeningPort {

            /** ListeningPort protocol */
            protocol?: (vigil.v1.Protocol|null);

            /** ListeningPort address */
            address?: (string|null);

            /** ListeningPort port */
            port?: (number|null);

            /** ListeningPort exposure */
            exposure?: (vigil.v1.Exposure|null);

            /** ListeningPort inode */
            inode?: (number|Long|null);

            /** ListeningPort pid */
            pid?: (number|null);

            /** ListeningPort process */
            process?: (string|null);

            /** ListeningPort executable */
            executable?: (string|null);

            /** ListeningPort package */
            "package"?: (string|null);
        }

        /** Represents a ListeningPort. */
        class ListeningPort implements IListeningPort {

            /**
             * Constructs a new ListeningPort.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IListeningPort);

            /** ListeningPort protocol. */
            public protocol: vigil.v1.Protocol;

            /** ListeningPort address. */
            public address: string;

            /** ListeningPort port. */
            public port: number;

            /** ListeningPort exposure. */
            public exposure: vigil.v1.Exposure;

            /** ListeningPort inode. */
            public inode: (number|Long);

            /** ListeningPort pid. */
            public pid?: (number|null);

            /** ListeningPort process. */
            public process?: (string|null);

            /** ListeningPort executable. */
            public executable?: (string|null);

            /** ListeningPort package. */
            public package?: (string|null);

            /**
             * Encodes the specified ListeningPort message. Does not implicitly {@link vigil.v1.ListeningPort.verify|verify} messages.
             * @param message ListeningPort message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IListeningPort, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ListeningPort message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ListeningPort
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ListeningPort;
        }

        /** Properties of a HostFacts. */
        interface IHostFacts {

            /** HostFacts hostname */
            hostname?: (string|null);

            /** HostFacts os */
            os?: (string|null);

            /** HostFacts arch */
            arch?: (string|null);

            /** HostFacts addresses */
            addresses?: (string[]|null);

            /** HostFacts kernel */
            kernel?: (string|null);
        }

        /** Represents a HostFacts. */
        class HostFacts implements IHostFacts {

            /**
             * Constructs a new HostFacts.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IHostFacts);

            /** HostFacts hostname. */
            public hostname: string;

            /** HostFacts os. */
            public os: string;

            /** HostFacts arch. */
            public arch: string;

            /** HostFacts addresses. */
            public addresses: string[];

            /** HostFacts kernel. */
            public kernel?: (string|null);

            /**
             * Encodes the specified HostFacts message. Does not implicitly {@link vigil.v1.HostFacts.verify|verify} messages.
             * @param message HostFacts message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IHostFacts, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a HostFacts message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns HostFacts
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.HostFacts;
        }

        /** Properties of an OsInfo. */
        interface IOsInfo {

            /** OsInfo id */
            id?: (string|null);

            /** OsInfo versionId */
            versionId?: (string|null);

            /** OsInfo versionCodename */
            versionCodename?: (string|null);

            /** OsInfo prettyName */
            prettyName?: (string|null);

            /** OsInfo name */
            name?: (string|null);

            /** OsInfo idLike */
            idLike?: (string[]|null);

            /** OsInfo distro */
            distro?: (string|null);
        }

        /** Represents an OsInfo. */
        class OsInfo implements IOsInfo {

            /**
             * Constructs a new OsInfo.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IOsInfo);

            /** OsInfo id. */
            public id: string;

            /** OsInfo versionId. */
            public versionId?: (string|null);

            /** OsInfo versionCodename. */
            public versionCodename?: (string|null);

            /** OsInfo prettyName. */
            public prettyName?: (string|null);

            /** OsInfo name. */
            public name?: (string|null);

            /** OsInfo idLike. */
            public idLike: string[];

            /** OsInfo distro. */
            public distro: string;

            /**
             * Encodes the specified OsInfo message. Does not implicitly {@link vigil.v1.OsInfo.verify|verify} messages.
             * @param message OsInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IOsInfo, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OsInfo message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns OsInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.OsInfo;
        }

        /** Properties of a KernelInfo. */
        interface IKernelInfo {

            /** KernelInfo running */
            running?: (string|null);

            /** KernelInfo runningPackage */
            runningPackage?: (string|null);

            /** KernelInfo installed */
            installed?: (string[]|null);
        }

        /** Represents a KernelInfo. */
        class KernelInfo implements IKernelInfo {

            /**
             * Constructs a new KernelInfo.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IKernelInfo);

            /** KernelInfo running. */
            public running?: (string|null);

            /** KernelInfo runningPackage. */
            public runningPackage?: (string|null);

            /** KernelInfo installed. */
            public installed: string[];

            /**
             * Encodes the specified KernelInfo message. Does not implicitly {@link vigil.v1.KernelInfo.verify|verify} messages.
             * @param message KernelInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IKernelInfo, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KernelInfo message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns KernelInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.KernelInfo;
        }
    }
}
