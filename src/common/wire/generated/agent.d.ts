import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace vigil. */
export namespace vigil {

    /** Namespace v1. */
    namespace v1 {

        /** Represents an AgentService */
        class AgentService extends $protobuf.rpc.Service {

            /**
             * Constructs a new AgentService service.
             * @param rpcImpl RPC implementation
             * @param [requestDelimited=false] Whether requests are length-delimited
             * @param [responseDelimited=false] Whether responses are length-delimited
             */
            constructor(rpcImpl: $protobuf.RPCImpl, requestDelimited?: boolean, responseDelimited?: boolean);

            /**
             * Creates new AgentService service using the specified rpc implementation.
             * @param rpcImpl RPC implementation
             * @param [requestDelimited=false] Whether requests are length-delimited
             * @param [responseDelimited=false] Whether responses are length-delimited
             * @returns RPC service. Useful where requests and/or responses are streamed.
             */
            public static create(rpcImpl: $protobuf.RPCImpl, requestDelimited?: boolean, responseDelimited?: boolean): AgentService;

            /**
             * Calls Enroll.
             * @param request EnrollRequest message or plain object
             * @param callback Node-style callback called with the error, if any, and EnrollResponse
             */
            public enroll(request: vigil.v1.IEnrollRequest, callback: vigil.v1.AgentService.EnrollCallback): void;

            /**
             * Calls Enroll.
             * @param request EnrollRequest message or plain object
             * @returns Promise
             */
            public enroll(request: vigil.v1.IEnrollRequest): Promise<vigil.v1.EnrollResponse>;

            /**
             * Calls Connect.
             * @param request AgentMessage message or plain object
             * @param callback Node-style callback called with the error, if any, and ServerMessage
             */
            public connect(request: vigil.v1.IAgentMessage, callback: vigil.v1.AgentService.ConnectCallback): void;

            /**
             * Calls Connect.
             * @param request AgentMessage message or plain object
             * @returns Promise
             */
            public connect(request: vigil.v1.IAgentMessage): Promise<vigil.v1.ServerMessage>;
        }

        namespace AgentService {

            /**
             * Callback as used by {@link vigil.v1.AgentService#enroll}.
             * @param error Error, if any
             * @param [response] EnrollResponse
             */
            type EnrollCallback = (error: (Error|null), response?: vigil.v1.EnrollResponse) => void;

            /**
             * Callback as used by {@link vigil.v1.AgentService#connect}.
             * @param error Error, if any
             * @param [response] ServerMessage
             */
            type ConnectCallback = (error: (Error|null), response?: vigil.v1.ServerMessage) => void;
        }

        /** Properties of an EnrollRequest. */
        interface IEnrollRequest {

            /** EnrollRequest enrollmentToken */
            enrollmentToken?: (string|null);

            /** EnrollRequest publicKeyPem */
            publicKeyPem?: (string|null);

            /** EnrollRequest hostname */
            hostname?: (string|null);
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

            /**
             * Creates a new EnrollRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns EnrollRequest instance
             */
            public static create(properties?: vigil.v1.IEnrollRequest): vigil.v1.EnrollRequest;

            /**
             * Encodes the specified EnrollRequest message. Does not implicitly {@link vigil.v1.EnrollRequest.verify|verify} messages.
             * @param message EnrollRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IEnrollRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified EnrollRequest message, length delimited. Does not implicitly {@link vigil.v1.EnrollRequest.verify|verify} messages.
             * @param message EnrollRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IEnrollRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an EnrollRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns EnrollRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.EnrollRequest;

            /**
             * Decodes an EnrollRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns EnrollRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.EnrollRequest;

            /**
             * Verifies an EnrollRequest message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an EnrollRequest message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns EnrollRequest
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.EnrollRequest;

            /**
             * Creates a plain object from an EnrollRequest message. Also converts values to other types if specified.
             * @param message EnrollRequest
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.EnrollRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this EnrollRequest to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for EnrollRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new EnrollResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns EnrollResponse instance
             */
            public static create(properties?: vigil.v1.IEnrollResponse): vigil.v1.EnrollResponse;

            /**
             * Encodes the specified EnrollResponse message. Does not implicitly {@link vigil.v1.EnrollResponse.verify|verify} messages.
             * @param message EnrollResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IEnrollResponse, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified EnrollResponse message, length delimited. Does not implicitly {@link vigil.v1.EnrollResponse.verify|verify} messages.
             * @param message EnrollResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IEnrollResponse, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an EnrollResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns EnrollResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.EnrollResponse;

            /**
             * Decodes an EnrollResponse message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns EnrollResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.EnrollResponse;

            /**
             * Verifies an EnrollResponse message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an EnrollResponse message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns EnrollResponse
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.EnrollResponse;

            /**
             * Creates a plain object from an EnrollResponse message. Also converts values to other types if specified.
             * @param message EnrollResponse
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.EnrollResponse, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this EnrollResponse to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for EnrollResponse
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new AgentMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AgentMessage instance
             */
            public static create(properties?: vigil.v1.IAgentMessage): vigil.v1.AgentMessage;

            /**
             * Encodes the specified AgentMessage message. Does not implicitly {@link vigil.v1.AgentMessage.verify|verify} messages.
             * @param message AgentMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IAgentMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified AgentMessage message, length delimited. Does not implicitly {@link vigil.v1.AgentMessage.verify|verify} messages.
             * @param message AgentMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IAgentMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AgentMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AgentMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.AgentMessage;

            /**
             * Decodes an AgentMessage message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns AgentMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.AgentMessage;

            /**
             * Verifies an AgentMessage message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an AgentMessage message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns AgentMessage
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.AgentMessage;

            /**
             * Creates a plain object from an AgentMessage message. Also converts values to other types if specified.
             * @param message AgentMessage
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.AgentMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this AgentMessage to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for AgentMessage
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new Hello instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Hello instance
             */
            public static create(properties?: vigil.v1.IHello): vigil.v1.Hello;

            /**
             * Encodes the specified Hello message. Does not implicitly {@link vigil.v1.Hello.verify|verify} messages.
             * @param message Hello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IHello, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Hello message, length delimited. Does not implicitly {@link vigil.v1.Hello.verify|verify} messages.
             * @param message Hello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IHello, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Hello;

            /**
             * Decodes a Hello message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.Hello;

            /**
             * Verifies a Hello message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Hello message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Hello
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.Hello;

            /**
             * Creates a plain object from a Hello message. Also converts values to other types if specified.
             * @param message Hello
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.Hello, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Hello to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Hello
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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

            /**
             * Creates a new SnapshotChunk instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SnapshotChunk instance
             */
            public static create(properties?: vigil.v1.ISnapshotChunk): vigil.v1.SnapshotChunk;

            /**
             * Encodes the specified SnapshotChunk message. Does not implicitly {@link vigil.v1.SnapshotChunk.verify|verify} messages.
             * @param message SnapshotChunk message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.ISnapshotChunk, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified SnapshotChunk message, length delimited. Does not implicitly {@link vigil.v1.SnapshotChunk.verify|verify} messages.
             * @param message SnapshotChunk message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.ISnapshotChunk, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SnapshotChunk message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns SnapshotChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.SnapshotChunk;

            /**
             * Decodes a SnapshotChunk message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns SnapshotChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.SnapshotChunk;

            /**
             * Verifies a SnapshotChunk message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SnapshotChunk message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SnapshotChunk
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.SnapshotChunk;

            /**
             * Creates a plain object from a SnapshotChunk message. Also converts values to other types if specified.
             * @param message SnapshotChunk
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.SnapshotChunk, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SnapshotChunk to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for SnapshotChunk
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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

            /**
             * Creates a new Delta instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Delta instance
             */
            public static create(properties?: vigil.v1.IDelta): vigil.v1.Delta;

            /**
             * Encodes the specified Delta message. Does not implicitly {@link vigil.v1.Delta.verify|verify} messages.
             * @param message Delta message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IDelta, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Delta message, length delimited. Does not implicitly {@link vigil.v1.Delta.verify|verify} messages.
             * @param message Delta message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IDelta, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Delta message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Delta
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Delta;

            /**
             * Decodes a Delta message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns Delta
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.Delta;

            /**
             * Verifies a Delta message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Delta message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Delta
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.Delta;

            /**
             * Creates a plain object from a Delta message. Also converts values to other types if specified.
             * @param message Delta
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.Delta, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Delta to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Delta
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new Heartbeat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Heartbeat instance
             */
            public static create(properties?: vigil.v1.IHeartbeat): vigil.v1.Heartbeat;

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link vigil.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IHeartbeat, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Heartbeat message, length delimited. Does not implicitly {@link vigil.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IHeartbeat, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Heartbeat;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.Heartbeat;

            /**
             * Verifies a Heartbeat message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Heartbeat message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Heartbeat
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.Heartbeat;

            /**
             * Creates a plain object from a Heartbeat message. Also converts values to other types if specified.
             * @param message Heartbeat
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.Heartbeat, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Heartbeat to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Heartbeat
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new CommandResult instance using the specified properties.
             * @param [properties] Properties to set
             * @returns CommandResult instance
             */
            public static create(properties?: vigil.v1.ICommandResult): vigil.v1.CommandResult;

            /**
             * Encodes the specified CommandResult message. Does not implicitly {@link vigil.v1.CommandResult.verify|verify} messages.
             * @param message CommandResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.ICommandResult, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified CommandResult message, length delimited. Does not implicitly {@link vigil.v1.CommandResult.verify|verify} messages.
             * @param message CommandResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.ICommandResult, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a CommandResult message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns CommandResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.CommandResult;

            /**
             * Decodes a CommandResult message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns CommandResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.CommandResult;

            /**
             * Verifies a CommandResult message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a CommandResult message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns CommandResult
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.CommandResult;

            /**
             * Creates a plain object from a CommandResult message. Also converts values to other types if specified.
             * @param message CommandResult
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.CommandResult, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this CommandResult to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for CommandResult
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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

            /** ServerMessage config */
            config?: (vigil.v1.IConfigUpdate|null);
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

            /** ServerMessage config. */
            public config?: (vigil.v1.IConfigUpdate|null);

            /** ServerMessage kind. */
            public kind?: ("welcome"|"ack"|"resync"|"rescan"|"command"|"config");

            /**
             * Creates a new ServerMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ServerMessage instance
             */
            public static create(properties?: vigil.v1.IServerMessage): vigil.v1.ServerMessage;

            /**
             * Encodes the specified ServerMessage message. Does not implicitly {@link vigil.v1.ServerMessage.verify|verify} messages.
             * @param message ServerMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IServerMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ServerMessage message, length delimited. Does not implicitly {@link vigil.v1.ServerMessage.verify|verify} messages.
             * @param message ServerMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IServerMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ServerMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ServerMessage;

            /**
             * Decodes a ServerMessage message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.ServerMessage;

            /**
             * Verifies a ServerMessage message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ServerMessage message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ServerMessage
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.ServerMessage;

            /**
             * Creates a plain object from a ServerMessage message. Also converts values to other types if specified.
             * @param message ServerMessage
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.ServerMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ServerMessage to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for ServerMessage
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new Welcome instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Welcome instance
             */
            public static create(properties?: vigil.v1.IWelcome): vigil.v1.Welcome;

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link vigil.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IWelcome, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Welcome message, length delimited. Does not implicitly {@link vigil.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IWelcome, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Welcome;

            /**
             * Decodes a Welcome message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.Welcome;

            /**
             * Verifies a Welcome message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Welcome
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.Welcome;

            /**
             * Creates a plain object from a Welcome message. Also converts values to other types if specified.
             * @param message Welcome
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.Welcome, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Welcome to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Welcome
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new Ack instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Ack instance
             */
            public static create(properties?: vigil.v1.IAck): vigil.v1.Ack;

            /**
             * Encodes the specified Ack message. Does not implicitly {@link vigil.v1.Ack.verify|verify} messages.
             * @param message Ack message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IAck, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Ack message, length delimited. Does not implicitly {@link vigil.v1.Ack.verify|verify} messages.
             * @param message Ack message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IAck, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Ack;

            /**
             * Decodes an Ack message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.Ack;

            /**
             * Verifies an Ack message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Ack message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Ack
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.Ack;

            /**
             * Creates a plain object from an Ack message. Also converts values to other types if specified.
             * @param message Ack
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.Ack, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Ack to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Ack
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new ResyncRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ResyncRequest instance
             */
            public static create(properties?: vigil.v1.IResyncRequest): vigil.v1.ResyncRequest;

            /**
             * Encodes the specified ResyncRequest message. Does not implicitly {@link vigil.v1.ResyncRequest.verify|verify} messages.
             * @param message ResyncRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IResyncRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ResyncRequest message, length delimited. Does not implicitly {@link vigil.v1.ResyncRequest.verify|verify} messages.
             * @param message ResyncRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IResyncRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ResyncRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ResyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ResyncRequest;

            /**
             * Decodes a ResyncRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns ResyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.ResyncRequest;

            /**
             * Verifies a ResyncRequest message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ResyncRequest message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ResyncRequest
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.ResyncRequest;

            /**
             * Creates a plain object from a ResyncRequest message. Also converts values to other types if specified.
             * @param message ResyncRequest
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.ResyncRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ResyncRequest to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for ResyncRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new RescanRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RescanRequest instance
             */
            public static create(properties?: vigil.v1.IRescanRequest): vigil.v1.RescanRequest;

            /**
             * Encodes the specified RescanRequest message. Does not implicitly {@link vigil.v1.RescanRequest.verify|verify} messages.
             * @param message RescanRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IRescanRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified RescanRequest message, length delimited. Does not implicitly {@link vigil.v1.RescanRequest.verify|verify} messages.
             * @param message RescanRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IRescanRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RescanRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns RescanRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.RescanRequest;

            /**
             * Decodes a RescanRequest message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns RescanRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.RescanRequest;

            /**
             * Verifies a RescanRequest message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a RescanRequest message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns RescanRequest
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.RescanRequest;

            /**
             * Creates a plain object from a RescanRequest message. Also converts values to other types if specified.
             * @param message RescanRequest
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.RescanRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RescanRequest to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RescanRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new SignedCommand instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SignedCommand instance
             */
            public static create(properties?: vigil.v1.ISignedCommand): vigil.v1.SignedCommand;

            /**
             * Encodes the specified SignedCommand message. Does not implicitly {@link vigil.v1.SignedCommand.verify|verify} messages.
             * @param message SignedCommand message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.ISignedCommand, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified SignedCommand message, length delimited. Does not implicitly {@link vigil.v1.SignedCommand.verify|verify} messages.
             * @param message SignedCommand message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.ISignedCommand, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SignedCommand message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns SignedCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.SignedCommand;

            /**
             * Decodes a SignedCommand message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns SignedCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.SignedCommand;

            /**
             * Verifies a SignedCommand message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SignedCommand message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SignedCommand
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.SignedCommand;

            /**
             * Creates a plain object from a SignedCommand message. Also converts values to other types if specified.
             * @param message SignedCommand
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.SignedCommand, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SignedCommand to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for SignedCommand
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ConfigUpdate. */
        interface IConfigUpdate {

            /** ConfigUpdate configJson */
            configJson?: (string|null);
        }

        /** Represents a ConfigUpdate. */
        class ConfigUpdate implements IConfigUpdate {

            /**
             * Constructs a new ConfigUpdate.
             * @param [properties] Properties to set
             */
            constructor(properties?: vigil.v1.IConfigUpdate);

            /** ConfigUpdate configJson. */
            public configJson: string;

            /**
             * Creates a new ConfigUpdate instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConfigUpdate instance
             */
            public static create(properties?: vigil.v1.IConfigUpdate): vigil.v1.ConfigUpdate;

            /**
             * Encodes the specified ConfigUpdate message. Does not implicitly {@link vigil.v1.ConfigUpdate.verify|verify} messages.
             * @param message ConfigUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IConfigUpdate, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ConfigUpdate message, length delimited. Does not implicitly {@link vigil.v1.ConfigUpdate.verify|verify} messages.
             * @param message ConfigUpdate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IConfigUpdate, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigUpdate message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ConfigUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ConfigUpdate;

            /**
             * Decodes a ConfigUpdate message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns ConfigUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.ConfigUpdate;

            /**
             * Verifies a ConfigUpdate message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ConfigUpdate message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ConfigUpdate
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.ConfigUpdate;

            /**
             * Creates a plain object from a ConfigUpdate message. Also converts values to other types if specified.
             * @param message ConfigUpdate
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.ConfigUpdate, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ConfigUpdate to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for ConfigUpdate
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
            ECOSYSTEM_GENERIC = 8
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

            /** Component inUse */
            inUse?: (boolean|null);
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

            /** Component inUse. */
            public inUse?: (boolean|null);

            /**
             * Creates a new Component instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Component instance
             */
            public static create(properties?: vigil.v1.IComponent): vigil.v1.Component;

            /**
             * Encodes the specified Component message. Does not implicitly {@link vigil.v1.Component.verify|verify} messages.
             * @param message Component message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IComponent, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified Component message, length delimited. Does not implicitly {@link vigil.v1.Component.verify|verify} messages.
             * @param message Component message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IComponent, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Component message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Component
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.Component;

            /**
             * Decodes a Component message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns Component
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.Component;

            /**
             * Verifies a Component message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Component message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Component
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.Component;

            /**
             * Creates a plain object from a Component message. Also converts values to other types if specified.
             * @param message Component
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.Component, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Component to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for Component
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new PortSet instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PortSet instance
             */
            public static create(properties?: vigil.v1.IPortSet): vigil.v1.PortSet;

            /**
             * Encodes the specified PortSet message. Does not implicitly {@link vigil.v1.PortSet.verify|verify} messages.
             * @param message PortSet message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IPortSet, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified PortSet message, length delimited. Does not implicitly {@link vigil.v1.PortSet.verify|verify} messages.
             * @param message PortSet message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IPortSet, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PortSet message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns PortSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.PortSet;

            /**
             * Decodes a PortSet message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns PortSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.PortSet;

            /**
             * Verifies a PortSet message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a PortSet message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns PortSet
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.PortSet;

            /**
             * Creates a plain object from a PortSet message. Also converts values to other types if specified.
             * @param message PortSet
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.PortSet, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this PortSet to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for PortSet
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new ListeningPort instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ListeningPort instance
             */
            public static create(properties?: vigil.v1.IListeningPort): vigil.v1.ListeningPort;

            /**
             * Encodes the specified ListeningPort message. Does not implicitly {@link vigil.v1.ListeningPort.verify|verify} messages.
             * @param message ListeningPort message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IListeningPort, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified ListeningPort message, length delimited. Does not implicitly {@link vigil.v1.ListeningPort.verify|verify} messages.
             * @param message ListeningPort message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IListeningPort, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ListeningPort message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ListeningPort
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.ListeningPort;

            /**
             * Decodes a ListeningPort message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns ListeningPort
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.ListeningPort;

            /**
             * Verifies a ListeningPort message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ListeningPort message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ListeningPort
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.ListeningPort;

            /**
             * Creates a plain object from a ListeningPort message. Also converts values to other types if specified.
             * @param message ListeningPort
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.ListeningPort, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ListeningPort to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for ListeningPort
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new HostFacts instance using the specified properties.
             * @param [properties] Properties to set
             * @returns HostFacts instance
             */
            public static create(properties?: vigil.v1.IHostFacts): vigil.v1.HostFacts;

            /**
             * Encodes the specified HostFacts message. Does not implicitly {@link vigil.v1.HostFacts.verify|verify} messages.
             * @param message HostFacts message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IHostFacts, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified HostFacts message, length delimited. Does not implicitly {@link vigil.v1.HostFacts.verify|verify} messages.
             * @param message HostFacts message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IHostFacts, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a HostFacts message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns HostFacts
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.HostFacts;

            /**
             * Decodes a HostFacts message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns HostFacts
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.HostFacts;

            /**
             * Verifies a HostFacts message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a HostFacts message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns HostFacts
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.HostFacts;

            /**
             * Creates a plain object from a HostFacts message. Also converts values to other types if specified.
             * @param message HostFacts
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.HostFacts, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this HostFacts to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for HostFacts
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new OsInfo instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OsInfo instance
             */
            public static create(properties?: vigil.v1.IOsInfo): vigil.v1.OsInfo;

            /**
             * Encodes the specified OsInfo message. Does not implicitly {@link vigil.v1.OsInfo.verify|verify} messages.
             * @param message OsInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IOsInfo, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified OsInfo message, length delimited. Does not implicitly {@link vigil.v1.OsInfo.verify|verify} messages.
             * @param message OsInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IOsInfo, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OsInfo message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns OsInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.OsInfo;

            /**
             * Decodes an OsInfo message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns OsInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.OsInfo;

            /**
             * Verifies an OsInfo message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an OsInfo message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns OsInfo
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.OsInfo;

            /**
             * Creates a plain object from an OsInfo message. Also converts values to other types if specified.
             * @param message OsInfo
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.OsInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this OsInfo to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for OsInfo
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
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
             * Creates a new KernelInfo instance using the specified properties.
             * @param [properties] Properties to set
             * @returns KernelInfo instance
             */
            public static create(properties?: vigil.v1.IKernelInfo): vigil.v1.KernelInfo;

            /**
             * Encodes the specified KernelInfo message. Does not implicitly {@link vigil.v1.KernelInfo.verify|verify} messages.
             * @param message KernelInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: vigil.v1.IKernelInfo, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified KernelInfo message, length delimited. Does not implicitly {@link vigil.v1.KernelInfo.verify|verify} messages.
             * @param message KernelInfo message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encodeDelimited(message: vigil.v1.IKernelInfo, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KernelInfo message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns KernelInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): vigil.v1.KernelInfo;

            /**
             * Decodes a KernelInfo message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns KernelInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): vigil.v1.KernelInfo;

            /**
             * Verifies a KernelInfo message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            public static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a KernelInfo message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns KernelInfo
             */
            public static fromObject(object: { [k: string]: any }): vigil.v1.KernelInfo;

            /**
             * Creates a plain object from a KernelInfo message. Also converts values to other types if specified.
             * @param message KernelInfo
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: vigil.v1.KernelInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this KernelInfo to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for KernelInfo
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
