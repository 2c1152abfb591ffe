--
-- PostgreSQL database dump
--

\restrict q2B7TJVJ1tedbc3PrfzSGhTF7HptU5g2vneczUJnn68sETgwU0JBAmpFRsWN6B0

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: waflow_audit_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_audit_event (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    staff_id integer,
    staff_email character varying(254),
    action character varying(64) NOT NULL,
    target character varying(200) NOT NULL,
    detail json NOT NULL
);


--
-- Name: waflow_audit_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_audit_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_audit_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_audit_event_id_seq OWNED BY public.waflow_audit_event.id;


--
-- Name: waflow_booking; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_booking (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    service character varying(64) NOT NULL,
    resource character varying(64) NOT NULL,
    start_at timestamp with time zone NOT NULL,
    end_at timestamp with time zone NOT NULL,
    status character varying(16) NOT NULL,
    price integer,
    created_at timestamp with time zone NOT NULL,
    cancelled_at timestamp with time zone,
    cancelled_by character varying(16),
    reminder_sent_at timestamp with time zone
);


--
-- Name: waflow_booking_cell; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_booking_cell (
    id integer NOT NULL,
    booking_id integer NOT NULL,
    resource character varying(64) NOT NULL,
    cell_start timestamp with time zone NOT NULL
);


--
-- Name: waflow_booking_cell_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_booking_cell_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_booking_cell_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_booking_cell_id_seq OWNED BY public.waflow_booking_cell.id;


--
-- Name: waflow_booking_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_booking_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_booking_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_booking_id_seq OWNED BY public.waflow_booking.id;


--
-- Name: waflow_broadcast; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_broadcast (
    id integer NOT NULL,
    title character varying(200) NOT NULL,
    template character varying(512) NOT NULL,
    language character varying(16) NOT NULL,
    category character varying(16) NOT NULL,
    params json NOT NULL,
    segment json NOT NULL,
    state character varying(16) NOT NULL,
    scheduled_at timestamp with time zone,
    created_by character varying(256) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    audience integer,
    cursor integer NOT NULL,
    expanded boolean NOT NULL,
    next_slot_at timestamp with time zone
);


--
-- Name: waflow_broadcast_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_broadcast_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_broadcast_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_broadcast_id_seq OWNED BY public.waflow_broadcast.id;


--
-- Name: waflow_broadcast_recipient; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_broadcast_recipient (
    id integer NOT NULL,
    broadcast_id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    outbox_id integer,
    state character varying(16) NOT NULL,
    error character varying(500),
    queued_at timestamp with time zone NOT NULL,
    stop_recorded boolean NOT NULL
);


--
-- Name: waflow_broadcast_recipient_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_broadcast_recipient_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_broadcast_recipient_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_broadcast_recipient_id_seq OWNED BY public.waflow_broadcast_recipient.id;


--
-- Name: waflow_cart_line; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_cart_line (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    product_id character varying(64) NOT NULL,
    quantity integer NOT NULL,
    added_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_cart_line_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_cart_line_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_cart_line_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_cart_line_id_seq OWNED BY public.waflow_cart_line.id;


--
-- Name: waflow_consent_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_consent_event (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    opted character varying(3) NOT NULL,
    source character varying(16) NOT NULL,
    at timestamp with time zone NOT NULL,
    detail json NOT NULL
);


--
-- Name: waflow_consent_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_consent_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_consent_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_consent_event_id_seq OWNED BY public.waflow_consent_event.id;


--
-- Name: waflow_console_secret; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_console_secret (
    id integer NOT NULL,
    value character varying(128) NOT NULL
);


--
-- Name: waflow_console_secret_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_console_secret_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_console_secret_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_console_secret_id_seq OWNED BY public.waflow_console_secret.id;


--
-- Name: waflow_contact; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_contact (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    user_id character varying(256),
    name character varying(256),
    last_inbound_at timestamp with time zone,
    marketing_opt_out boolean NOT NULL,
    marketing_changed_at timestamp with time zone,
    paused boolean NOT NULL,
    paused_until timestamp with time zone,
    language character varying(16),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_contact_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_contact_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_contact_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_contact_id_seq OWNED BY public.waflow_contact.id;


--
-- Name: waflow_conversation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_conversation (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    flow character varying(128),
    flow_version integer,
    state character varying(128),
    slots json NOT NULL,
    call_stack json NOT NULL,
    data json NOT NULL,
    status character varying(16) NOT NULL,
    last_inbound_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    version integer NOT NULL
);


--
-- Name: waflow_conversation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_conversation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_conversation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_conversation_id_seq OWNED BY public.waflow_conversation.id;


--
-- Name: waflow_customer_tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_customer_tag (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    tag character varying(40) NOT NULL,
    added_at timestamp with time zone NOT NULL,
    added_by character varying(256) NOT NULL
);


--
-- Name: waflow_customer_tag_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_customer_tag_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_customer_tag_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_customer_tag_id_seq OWNED BY public.waflow_customer_tag.id;


--
-- Name: waflow_flow_step; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_flow_step (
    id bigint NOT NULL,
    wa_id character varying(64) NOT NULL,
    flow character varying(128) NOT NULL,
    state character varying(128) NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: waflow_flow_step_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_flow_step_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_flow_step_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_flow_step_id_seq OWNED BY public.waflow_flow_step.id;


--
-- Name: waflow_handoff_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_handoff_event (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    kind character varying(16) NOT NULL,
    at timestamp with time zone NOT NULL,
    staff_id integer
);


--
-- Name: waflow_handoff_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_handoff_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_handoff_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_handoff_event_id_seq OWNED BY public.waflow_handoff_event.id;


--
-- Name: waflow_inbound; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_inbound (
    id bigint NOT NULL,
    dedupe_key character varying(300) NOT NULL,
    kind character varying(32) NOT NULL,
    field character varying(64) NOT NULL,
    wa_id character varying(64),
    phone_number_id character varying(64),
    value json NOT NULL,
    received_at timestamp with time zone NOT NULL,
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    processed_at timestamp with time zone,
    retry_at timestamp with time zone,
    error character varying
);


--
-- Name: waflow_inbound_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_inbound_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_inbound_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_inbound_id_seq OWNED BY public.waflow_inbound.id;


--
-- Name: waflow_inbox_note; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_inbox_note (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    staff_id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    body text NOT NULL
);


--
-- Name: waflow_inbox_note_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_inbox_note_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_inbox_note_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_inbox_note_id_seq OWNED BY public.waflow_inbox_note.id;


--
-- Name: waflow_inbox_thread; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_inbox_thread (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    assignee_id integer,
    read_up_to integer NOT NULL
);


--
-- Name: waflow_inbox_thread_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_inbox_thread_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_inbox_thread_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_inbox_thread_id_seq OWNED BY public.waflow_inbox_thread.id;


--
-- Name: waflow_order; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_order (
    id integer NOT NULL,
    number character varying(16) NOT NULL,
    wa_id character varying(64) NOT NULL,
    status character varying(16) NOT NULL,
    fulfilment character varying(16) NOT NULL,
    address text,
    latitude double precision,
    longitude double precision,
    location_name character varying(256),
    subtotal bigint NOT NULL,
    delivery_fee bigint NOT NULL,
    total bigint NOT NULL,
    currency character varying(3) NOT NULL,
    provider character varying(16) NOT NULL,
    payment_reference character varying(255),
    payment_url text,
    tracking_url text,
    expires_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    paid_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_order_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_order_event (
    id integer NOT NULL,
    order_id integer,
    status character varying(16) NOT NULL,
    note text,
    tracking_url text,
    actor character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_order_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_order_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_order_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_order_event_id_seq OWNED BY public.waflow_order_event.id;


--
-- Name: waflow_order_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_order_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_order_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_order_id_seq OWNED BY public.waflow_order.id;


--
-- Name: waflow_order_line; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_order_line (
    id integer NOT NULL,
    order_id integer,
    product_id character varying(64) NOT NULL,
    title character varying(256) NOT NULL,
    kind character varying(16) NOT NULL,
    unit_price bigint NOT NULL,
    quantity integer NOT NULL,
    line_total bigint NOT NULL
);


--
-- Name: waflow_order_line_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_order_line_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_order_line_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_order_line_id_seq OWNED BY public.waflow_order_line.id;


--
-- Name: waflow_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_outbox (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    payload json NOT NULL,
    state character varying(16) NOT NULL,
    category character varying(16),
    fallback json,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease character varying(32),
    wamid character varying(200),
    last_error character varying,
    inbound_id integer,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone
);


--
-- Name: waflow_outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_outbox_id_seq OWNED BY public.waflow_outbox.id;


--
-- Name: waflow_payment_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_payment_event (
    id integer NOT NULL,
    provider character varying(16) NOT NULL,
    event_id character varying(255) NOT NULL,
    event_type character varying(100) NOT NULL,
    order_number character varying(16),
    received_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_payment_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_payment_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_payment_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_payment_event_id_seq OWNED BY public.waflow_payment_event.id;


--
-- Name: waflow_privacy_purge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_privacy_purge (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    cutoff timestamp with time zone NOT NULL,
    counts json NOT NULL
);


--
-- Name: waflow_privacy_purge_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_privacy_purge_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_privacy_purge_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_privacy_purge_id_seq OWNED BY public.waflow_privacy_purge.id;


--
-- Name: waflow_privacy_request; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_privacy_request (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    kind character varying(8) NOT NULL,
    state character varying(16) NOT NULL,
    asked integer NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone,
    done_at timestamp with time zone,
    link_hash character varying(64),
    link_expires_at timestamp with time zone
);


--
-- Name: waflow_privacy_request_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_privacy_request_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_privacy_request_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_privacy_request_id_seq OWNED BY public.waflow_privacy_request.id;


--
-- Name: waflow_read_receipt; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_read_receipt (
    id integer NOT NULL,
    wa_id character varying(64) NOT NULL,
    message_id character varying(300) NOT NULL,
    typing boolean NOT NULL,
    inbound_id integer,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_read_receipt_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_read_receipt_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_read_receipt_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_read_receipt_id_seq OWNED BY public.waflow_read_receipt.id;


--
-- Name: waflow_saved_reply; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_saved_reply (
    id integer NOT NULL,
    title character varying(80) NOT NULL,
    body text NOT NULL
);


--
-- Name: waflow_saved_reply_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_saved_reply_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_saved_reply_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_saved_reply_id_seq OWNED BY public.waflow_saved_reply.id;


--
-- Name: waflow_staff_reply; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_staff_reply (
    outbox_id integer NOT NULL,
    staff_id integer NOT NULL
);


--
-- Name: waflow_staff_reply_outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_staff_reply_outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_staff_reply_outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_staff_reply_outbox_id_seq OWNED BY public.waflow_staff_reply.outbox_id;


--
-- Name: waflow_staff_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_staff_session (
    id integer NOT NULL,
    token_hash character varying(64) NOT NULL,
    staff_id integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_staff_session_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_staff_session_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_staff_session_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_staff_session_id_seq OWNED BY public.waflow_staff_session.id;


--
-- Name: waflow_staff_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_staff_user (
    id integer NOT NULL,
    email character varying(254) NOT NULL,
    role character varying(16) NOT NULL,
    password_hash character varying(256) NOT NULL,
    failed_logins integer NOT NULL,
    locked_until timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    password_changed_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_staff_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_staff_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_staff_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_staff_user_id_seq OWNED BY public.waflow_staff_user.id;


--
-- Name: waflow_status; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_status (
    id integer NOT NULL,
    wamid character varying(200) NOT NULL,
    recipient_id character varying(64),
    status character varying(16) NOT NULL,
    rank integer NOT NULL,
    errors json NOT NULL,
    pricing json,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_status_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_status_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_status_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_status_id_seq OWNED BY public.waflow_status.id;


--
-- Name: waflow_stock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_stock (
    product_id character varying(64) NOT NULL,
    quantity integer NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_survey_answer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_survey_answer (
    id integer NOT NULL,
    response_id integer NOT NULL,
    survey character varying(64) NOT NULL,
    question character varying(64) NOT NULL,
    kind character varying(16) NOT NULL,
    value_int integer,
    value_text text,
    skipped boolean NOT NULL
);


--
-- Name: waflow_survey_answer_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_survey_answer_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_survey_answer_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_survey_answer_id_seq OWNED BY public.waflow_survey_answer.id;


--
-- Name: waflow_survey_invite; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_survey_invite (
    id integer NOT NULL,
    survey character varying(64) NOT NULL,
    wa_id character varying(64) NOT NULL,
    ref character varying(128) NOT NULL,
    sent_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_survey_invite_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_survey_invite_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_survey_invite_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_survey_invite_id_seq OWNED BY public.waflow_survey_invite.id;


--
-- Name: waflow_survey_response; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.waflow_survey_response (
    id integer NOT NULL,
    survey character varying(64) NOT NULL,
    wa_id character varying(64) NOT NULL,
    once_key character varying(64),
    source character varying(64),
    ref character varying(128),
    completed_at timestamp with time zone NOT NULL
);


--
-- Name: waflow_survey_response_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.waflow_survey_response_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: waflow_survey_response_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.waflow_survey_response_id_seq OWNED BY public.waflow_survey_response.id;


--
-- Name: waflow_audit_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_audit_event ALTER COLUMN id SET DEFAULT nextval('public.waflow_audit_event_id_seq'::regclass);


--
-- Name: waflow_booking id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_booking ALTER COLUMN id SET DEFAULT nextval('public.waflow_booking_id_seq'::regclass);


--
-- Name: waflow_booking_cell id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_booking_cell ALTER COLUMN id SET DEFAULT nextval('public.waflow_booking_cell_id_seq'::regclass);


--
-- Name: waflow_broadcast id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_broadcast ALTER COLUMN id SET DEFAULT nextval('public.waflow_broadcast_id_seq'::regclass);


--
-- Name: waflow_broadcast_recipient id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_broadcast_recipient ALTER COLUMN id SET DEFAULT nextval('public.waflow_broadcast_recipient_id_seq'::regclass);


--
-- Name: waflow_cart_line id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_cart_line ALTER COLUMN id SET DEFAULT nextval('public.waflow_cart_line_id_seq'::regclass);


--
-- Name: waflow_consent_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_consent_event ALTER COLUMN id SET DEFAULT nextval('public.waflow_consent_event_id_seq'::regclass);


--
-- Name: waflow_console_secret id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_console_secret ALTER COLUMN id SET DEFAULT nextval('public.waflow_console_secret_id_seq'::regclass);


--
-- Name: waflow_contact id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_contact ALTER COLUMN id SET DEFAULT nextval('public.waflow_contact_id_seq'::regclass);


--
-- Name: waflow_conversation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_conversation ALTER COLUMN id SET DEFAULT nextval('public.waflow_conversation_id_seq'::regclass);


--
-- Name: waflow_customer_tag id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_customer_tag ALTER COLUMN id SET DEFAULT nextval('public.waflow_customer_tag_id_seq'::regclass);


--
-- Name: waflow_flow_step id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_flow_step ALTER COLUMN id SET DEFAULT nextval('public.waflow_flow_step_id_seq'::regclass);


--
-- Name: waflow_handoff_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_handoff_event ALTER COLUMN id SET DEFAULT nextval('public.waflow_handoff_event_id_seq'::regclass);


--
-- Name: waflow_inbound id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbound ALTER COLUMN id SET DEFAULT nextval('public.waflow_inbound_id_seq'::regclass);


--
-- Name: waflow_inbox_note id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbox_note ALTER COLUMN id SET DEFAULT nextval('public.waflow_inbox_note_id_seq'::regclass);


--
-- Name: waflow_inbox_thread id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbox_thread ALTER COLUMN id SET DEFAULT nextval('public.waflow_inbox_thread_id_seq'::regclass);


--
-- Name: waflow_order id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order ALTER COLUMN id SET DEFAULT nextval('public.waflow_order_id_seq'::regclass);


--
-- Name: waflow_order_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order_event ALTER COLUMN id SET DEFAULT nextval('public.waflow_order_event_id_seq'::regclass);


--
-- Name: waflow_order_line id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order_line ALTER COLUMN id SET DEFAULT nextval('public.waflow_order_line_id_seq'::regclass);


--
-- Name: waflow_outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_outbox ALTER COLUMN id SET DEFAULT nextval('public.waflow_outbox_id_seq'::regclass);


--
-- Name: waflow_payment_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_payment_event ALTER COLUMN id SET DEFAULT nextval('public.waflow_payment_event_id_seq'::regclass);


--
-- Name: waflow_privacy_purge id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_privacy_purge ALTER COLUMN id SET DEFAULT nextval('public.waflow_privacy_purge_id_seq'::regclass);


--
-- Name: waflow_privacy_request id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_privacy_request ALTER COLUMN id SET DEFAULT nextval('public.waflow_privacy_request_id_seq'::regclass);


--
-- Name: waflow_read_receipt id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_read_receipt ALTER COLUMN id SET DEFAULT nextval('public.waflow_read_receipt_id_seq'::regclass);


--
-- Name: waflow_saved_reply id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_saved_reply ALTER COLUMN id SET DEFAULT nextval('public.waflow_saved_reply_id_seq'::regclass);


--
-- Name: waflow_staff_reply outbox_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_reply ALTER COLUMN outbox_id SET DEFAULT nextval('public.waflow_staff_reply_outbox_id_seq'::regclass);


--
-- Name: waflow_staff_session id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_session ALTER COLUMN id SET DEFAULT nextval('public.waflow_staff_session_id_seq'::regclass);


--
-- Name: waflow_staff_user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_user ALTER COLUMN id SET DEFAULT nextval('public.waflow_staff_user_id_seq'::regclass);


--
-- Name: waflow_status id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_status ALTER COLUMN id SET DEFAULT nextval('public.waflow_status_id_seq'::regclass);


--
-- Name: waflow_survey_answer id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_answer ALTER COLUMN id SET DEFAULT nextval('public.waflow_survey_answer_id_seq'::regclass);


--
-- Name: waflow_survey_invite id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_invite ALTER COLUMN id SET DEFAULT nextval('public.waflow_survey_invite_id_seq'::regclass);


--
-- Name: waflow_survey_response id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_response ALTER COLUMN id SET DEFAULT nextval('public.waflow_survey_response_id_seq'::regclass);


--
-- Data for Name: waflow_audit_event; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_booking; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_booking (id, wa_id, service, resource, start_at, end_at, status, price, created_at, cancelled_at, cancelled_by, reminder_sent_at) VALUES (1, '34611000003', 'wedding', 'lucia', '2026-03-04 09:00:00+00', '2026-03-04 10:00:00+00', 'confirmed', NULL, '2026-03-03 09:00:00+00', NULL, NULL, NULL);


--
-- Data for Name: waflow_booking_cell; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (1, 1, 'lucia', '2026-03-04 09:00:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (2, 1, 'lucia', '2026-03-04 09:05:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (3, 1, 'lucia', '2026-03-04 09:10:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (4, 1, 'lucia', '2026-03-04 09:15:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (5, 1, 'lucia', '2026-03-04 09:20:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (6, 1, 'lucia', '2026-03-04 09:25:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (7, 1, 'lucia', '2026-03-04 09:30:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (8, 1, 'lucia', '2026-03-04 09:35:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (9, 1, 'lucia', '2026-03-04 09:40:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (10, 1, 'lucia', '2026-03-04 09:45:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (11, 1, 'lucia', '2026-03-04 09:50:00+00');
INSERT INTO public.waflow_booking_cell (id, booking_id, resource, cell_start) VALUES (12, 1, 'lucia', '2026-03-04 09:55:00+00');


--
-- Data for Name: waflow_broadcast; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_broadcast_recipient; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_cart_line; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_cart_line (id, wa_id, product_id, quantity, added_at) VALUES (2, '34611000005', 'lemon', 1, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_cart_line (id, wa_id, product_id, quantity, added_at) VALUES (4, '34611000011', 'croissants', 1, '2026-12-06 09:00:00+00');


--
-- Data for Name: waflow_consent_event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_consent_event (id, wa_id, opted, source, at, detail) VALUES (1, '34611000009', 'out', 'keyword', '2026-03-03 09:00:00+00', '{"text": "stop"}');


--
-- Data for Name: waflow_console_secret; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_console_secret (id, value) VALUES (1, 'ed7eff1a150176348ca3cbbc210aa3e8bad9d2a426646b4ccb1f9be04f9e4e05');


--
-- Data for Name: waflow_contact; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (1, '34611000001', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (2, '34611000002', NULL, 'Lucia', '2026-12-06 09:00:00+00', false, NULL, true, NULL, NULL, '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (3, '34611000003', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (4, '34611000004', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (5, '34611000005', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (6, '34611000006', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (7, '34611000007', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (8, '34611000008', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (9, '34611000009', NULL, 'Lucia', '2026-03-03 09:00:00+00', true, '2026-03-03 09:00:00+00', false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (10, '34611000010', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (11, '34611000011', NULL, 'Lucia', '2026-12-06 09:00:00+00', false, NULL, false, NULL, NULL, '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (12, '34611000012', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, false, NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_contact (id, wa_id, user_id, name, last_inbound_at, marketing_opt_out, marketing_changed_at, paused, paused_until, language, created_at) VALUES (13, '34611000013', NULL, 'Lucia', '2026-03-03 09:00:00+00', false, NULL, true, NULL, NULL, '2026-03-03 09:00:00+00');


--
-- Data for Name: waflow_conversation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (1, '34611000001', 'allergens', 1, 'kitchen', '{"product": "basque"}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 2);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (2, '34611000002', 'booking', 1, 'person', '{"service": "tasting", "day": null, "start": null, "moving": null, "chosen": null, "at": "days", "page": 0, "mine": {"upcoming": 0, "summary": ""}, "offer": {"status": "pick"}, "typed": "Cake tasting", "kept": {"summary": "Cake tasting"}, "action": "person"}', '[]', '{"ended": "handoff"}', 'ended', '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00', 16);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (4, '34611000004', 'purchase', 1, 'pick_category', '{"page": 0, "entry": "browse", "shown": {"count": 3}, "category": "cakes", "pick": {"kind": "line", "id": "choc", "title": "Chocolate fudge cake"}, "product": {"id": "choc", "title": "Chocolate fudge cake", "left": 6, "max": 6, "digital": false, "held": 0}, "quantity": "2", "cart": {"count": 0, "text": "Your cart is empty.", "subtotal": "\u20ac0.00"}, "cart_action": "change", "line_quantity": "0"}', '[]', '{"retries": 0, "page": 0, "expires_at": "2026-03-03T11:00:00+00:00"}', 'active', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 10);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (3, '34611000003', 'booking', 1, 'booked', '{"service": "wedding", "day": "2026-03-04", "start": "2026-03-04T09:00:00+00:00", "moving": null, "chosen": null, "at": "times", "page": 0, "mine": {"upcoming": 0, "summary": ""}, "offer": {"status": "ok", "summary": "Wedding consultation on Wednesday 4 March at 10:00 (1 h)."}, "typed": "10:00", "action": "confirm", "result": {"status": "ok", "summary": "Wedding consultation, Wed 4 Mar at 10:00 (1 h), booking #1", "id": 1}}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 8);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (5, '34611000005', 'purchase', 1, 'confirm_order', '{"page": 0, "entry": "browse", "shown": {"count": 4}, "category": "cakes", "pick": {"kind": "product", "id": "lemon", "title": "Lemon drizzle cake"}, "product": {"id": "lemon", "title": "Lemon drizzle cake", "left": 4, "max": 4, "digital": false, "held": 0}, "quantity": "1", "cart": {"count": 1, "text": "1 \u00d7 Lemon drizzle cake \u2014 \u20ac26.00\nSubtotal: \u20ac26.00", "subtotal": "\u20ac26.00"}, "cart_action": "checkout", "options": {"count": 1, "only": null}, "fulfilment": "delivery", "where": "type", "address": "Calle Mayor 1, 28013 Madrid", "summary": {"text": "1 \u00d7 Lemon drizzle cake \u2014 \u20ac26.00\nDelivery: \u20ac4.50\nTotal: \u20ac30.50\nDeliver to: Calle Mayor 1, 28013 Madrid", "total": "\u20ac30.50"}}', '[]', '{"retries": 0, "page": 0, "expires_at": "2026-03-03T11:00:00+00:00"}', 'active', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 10);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (10, '34611000010', 'purchase', 1, 'placed', '{"page": 0, "entry": "browse", "shown": {"count": 4}, "category": "cakes", "pick": {"kind": "product", "id": "lemon", "title": "Lemon drizzle cake"}, "product": {"id": "lemon", "title": "Lemon drizzle cake", "left": 4, "max": 4, "digital": false, "held": 0}, "quantity": "2", "cart": {"count": 2, "text": "2 \u00d7 Lemon drizzle cake \u2014 \u20ac52.00\nSubtotal: \u20ac52.00", "subtotal": "\u20ac52.00"}, "cart_action": "checkout", "options": {"count": 2, "only": null}, "fulfilment": "delivery", "where": "type", "address": "Calle de Hortaleza 10, 28004 Madrid", "summary": {"text": "2 \u00d7 Lemon drizzle cake \u2014 \u20ac52.00\nDelivery: free\nTotal: \u20ac52.00\nDeliver to: Calle de Hortaleza 10, 28004 Madrid", "total": "\u20ac52.00"}, "confirm": "place", "order": {"status": "ok", "number": "MG-ZAW3A", "total": "\u20ac52.00", "digital": false}}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 12);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (6, '34611000006', 'purchase', 1, 'pick_category', '{"page": 0, "entry": "browse", "shown": {"count": 3}}', '[]', '{"retries": 0, "page": 0, "expires_at": "2026-03-03T11:00:00+00:00"}', 'active', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 4);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (7, '34611000007', 'survey_feedback', 1, 'already', '{"status": "answered"}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 6);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (9, '34611000009', 'track_order', 1, 'no_orders', '{"orders": {"count": 0, "example": ""}}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 14);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (8, '34611000008', 'survey_feedback', 1, 'thanks', '{"status": "saved", "q_stars": "2", "question": "How likely are you to recommend Miga to a friend?", "q_nps": "4", "limit": 300, "q_improve": "The cake arrived an hour late", "q_comment": "Skip"}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 6);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (11, '34611000011', 'purchase', 1, 'confirm_order', '{"page": 0, "entry": "browse", "shown": {"count": 2}, "category": "treats", "pick": {"kind": "product", "id": "croissants", "title": "Croissant box"}, "product": {"id": "croissants", "title": "Croissant box", "left": null, "max": 50, "digital": false, "held": 0}, "quantity": "1", "cart": {"count": 1, "text": "1 \u00d7 Croissant box \u2014 \u20ac12.50\nSubtotal: \u20ac12.50", "subtotal": "\u20ac12.50"}, "cart_action": "checkout", "options": {"count": 1, "only": null}, "fulfilment": "pickup", "pickup": "wednesday 4pm", "summary": {"text": "1 \u00d7 Croissant box \u2014 \u20ac12.50\nPickup at Calle de Fuencarral 45, 28004 Madrid\nWhen: Wed 9 Dec at 16:00\nTotal: \u20ac12.50", "total": "\u20ac12.50"}}', '[]', '{"retries": 0, "page": 0, "expires_at": "2026-12-06T11:00:00+00:00"}', 'active', '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00', 10);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (12, '34611000012', 'purchase', 1, 'placed', '{"page": 0, "entry": "browse", "shown": {"count": 2}, "category": "recipes", "pick": {"kind": "product", "id": "book", "title": "Miga recipe book"}, "quantity": "1", "product": {"id": "book", "title": "Miga recipe book", "left": null, "max": 50, "digital": true, "held": 0}, "cart": {"count": 1, "text": "1 \u00d7 Miga recipe book \u2014 \u20ac9.90\nSubtotal: \u20ac9.90", "subtotal": "\u20ac9.90"}, "cart_action": "checkout", "fulfilment": "digital", "options": {"count": 1, "only": "digital"}, "summary": {"text": "1 \u00d7 Miga recipe book \u2014 \u20ac9.90\nTotal: \u20ac9.90", "total": "\u20ac9.90"}, "confirm": "place", "order": {"status": "ok", "number": "MG-VK2UB", "total": "\u20ac9.90", "digital": true}}', '[]', '{"ended": "done"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 5);
INSERT INTO public.waflow_conversation (id, wa_id, flow, flow_version, state, slots, call_stack, data, status, last_inbound_at, updated_at, version) VALUES (13, '34611000013', 'main_menu', 1, 'person', '{"greeting": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50", "choice": "person"}', '[]', '{"ended": "handoff"}', 'ended', '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00', 3);


--
-- Data for Name: waflow_customer_tag; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_flow_step; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (1, '34611000001', 'allergens', 'ask_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (2, '34611000001', 'allergens', 'basque', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (3, '34611000001', 'allergens', 'kitchen', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (4, '34611000001', 'allergens', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (5, '34611000002', 'booking', 'begin', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (6, '34611000002', 'booking', 'offer_services', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (7, '34611000002', 'booking', 'ask_service', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (8, '34611000002', 'booking', 'read_service', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (9, '34611000002', 'booking', 'offer_days', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (10, '34611000002', 'booking', 'ask_day', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (11, '34611000002', 'booking', 'stuck', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (12, '34611000002', 'booking', 'ask_stuck', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (13, '34611000002', 'booking', 'offer_days', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (14, '34611000002', 'booking', 'ask_day', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (15, '34611000002', 'booking', 'read_day', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (16, '34611000002', 'booking', 'offer_times', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (17, '34611000002', 'booking', 'ask_time', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (18, '34611000002', 'booking', '__abort__', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (19, '34611000002', 'booking', 'begin', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (20, '34611000002', 'booking', 'offer_services', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (21, '34611000002', 'booking', 'ask_service', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (22, '34611000002', 'booking', 'read_service', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (23, '34611000002', 'booking', 'offer_days', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (24, '34611000002', 'booking', 'ask_day', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (25, '34611000002', 'booking', 'stuck', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (26, '34611000002', 'booking', 'ask_stuck', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (27, '34611000002', 'booking', 'person', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (28, '34611000002', 'booking', '__handoff__', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (29, '34611000003', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (30, '34611000003', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (31, '34611000003', 'booking', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (32, '34611000003', 'booking', 'offer_services', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (33, '34611000003', 'booking', 'ask_service', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (34, '34611000003', 'booking', 'read_service', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (35, '34611000003', 'booking', 'offer_days', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (36, '34611000003', 'booking', 'ask_day', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (37, '34611000003', 'booking', 'read_day', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (38, '34611000003', 'booking', 'offer_times', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (39, '34611000003', 'booking', 'ask_time', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (40, '34611000003', 'booking', 'read_time', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (41, '34611000003', 'booking', 'confirm', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (42, '34611000003', 'booking', 'book', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (43, '34611000003', 'booking', 'booked', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (44, '34611000003', 'booking', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (45, '34611000004', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (46, '34611000004', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (47, '34611000004', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (48, '34611000004', 'purchase', 'read_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (49, '34611000004', 'purchase', 'products', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (50, '34611000004', 'purchase', 'pick_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (51, '34611000004', 'purchase', 'read_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (52, '34611000004', 'purchase', 'product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (53, '34611000004', 'purchase', 'ask_quantity', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (54, '34611000004', 'purchase', 'add_to_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (55, '34611000004', 'purchase', 'cart_menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (56, '34611000004', 'purchase', 'edit_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (57, '34611000004', 'purchase', 'pick_line', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (58, '34611000004', 'purchase', 'read_line', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (59, '34611000004', 'purchase', 'ask_line_quantity', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (60, '34611000004', 'purchase', 'change_line', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (61, '34611000004', 'purchase', 'cart_menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (62, '34611000004', 'purchase', 'edit_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (63, '34611000004', 'purchase', 'pick_line', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (64, '34611000004', 'purchase', 'read_line', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (65, '34611000004', 'purchase', 'ask_line_quantity', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (66, '34611000004', 'purchase', 'change_line', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (67, '34611000004', 'purchase', 'cart_empty', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (68, '34611000004', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (69, '34611000004', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (70, '34611000005', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (71, '34611000005', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (72, '34611000005', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (73, '34611000005', 'purchase', 'read_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (74, '34611000005', 'purchase', 'products', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (75, '34611000005', 'purchase', 'pick_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (76, '34611000005', 'purchase', 'read_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (77, '34611000005', 'purchase', 'product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (78, '34611000005', 'purchase', 'ask_quantity', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (79, '34611000005', 'purchase', 'add_to_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (80, '34611000005', 'purchase', 'cart_menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (81, '34611000005', 'purchase', 'checkout', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (82, '34611000005', 'purchase', 'ask_fulfilment', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (83, '34611000005', 'purchase', 'ask_where', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (84, '34611000005', 'purchase', 'ask_address', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (85, '34611000005', 'purchase', 'summary', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (86, '34611000005', 'purchase', 'confirm_order', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (87, '34611000006', 'delivery_area', 'ask_address', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (88, '34611000006', 'delivery_area', 'outside', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (89, '34611000006', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (90, '34611000006', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (91, '34611000006', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (92, '34611000007', 'survey_feedback', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (93, '34611000007', 'survey_feedback', 'intro', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (94, '34611000007', 'survey_feedback', 'stars', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (95, '34611000007', 'survey_feedback', 'nps', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (96, '34611000007', 'survey_feedback', 'comment', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (97, '34611000007', 'survey_feedback', 'finish', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (98, '34611000007', 'survey_feedback', 'thanks', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (99, '34611000007', 'survey_feedback', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (100, '34611000007', 'survey_feedback', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (101, '34611000007', 'survey_feedback', 'already', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (102, '34611000007', 'survey_feedback', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (103, '34611000008', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (104, '34611000008', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (105, '34611000008', 'survey_feedback', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (106, '34611000008', 'survey_feedback', 'intro', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (107, '34611000008', 'survey_feedback', 'stars', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (108, '34611000008', 'survey_feedback', 'nps', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (109, '34611000008', 'survey_feedback', 'improve', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (110, '34611000008', 'survey_feedback', 'comment', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (111, '34611000008', 'survey_feedback', 'finish', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (112, '34611000008', 'survey_feedback', 'thanks', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (113, '34611000008', 'survey_feedback', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (114, '34611000009', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (115, '34611000009', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (116, '34611000009', 'track_order', 'mine', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (117, '34611000009', 'track_order', 'no_orders', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (118, '34611000009', 'track_order', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (119, '34611000009', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (120, '34611000009', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (121, '34611000009', 'purchase', 'show_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (122, '34611000009', 'purchase', 'cart_empty', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (123, '34611000009', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (124, '34611000009', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (125, '34611000009', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (126, '34611000009', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (127, '34611000009', 'booking', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (128, '34611000009', 'booking', 'offer_services', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (129, '34611000009', 'booking', 'ask_service', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (130, '34611000009', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (131, '34611000009', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (132, '34611000009', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (133, '34611000009', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (134, '34611000009', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (135, '34611000009', 'booking', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (136, '34611000009', 'booking', 'offer_services', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (137, '34611000009', 'booking', 'ask_service', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (138, '34611000009', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (139, '34611000009', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (140, '34611000009', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (141, '34611000009', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (142, '34611000009', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (143, '34611000009', 'track_order', 'mine', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (144, '34611000009', 'track_order', 'no_orders', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (145, '34611000009', 'track_order', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (146, '34611000010', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (147, '34611000010', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (148, '34611000010', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (149, '34611000010', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (150, '34611000010', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (151, '34611000010', 'purchase', 'read_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (152, '34611000010', 'purchase', 'products', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (153, '34611000010', 'purchase', 'pick_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (154, '34611000010', 'purchase', 'read_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (155, '34611000010', 'purchase', 'product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (156, '34611000010', 'purchase', 'ask_quantity', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (157, '34611000010', 'purchase', 'add_to_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (158, '34611000010', 'purchase', 'cart_menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (159, '34611000010', 'purchase', 'checkout', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (160, '34611000010', 'purchase', 'ask_fulfilment', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (161, '34611000010', 'purchase', 'ask_where', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (162, '34611000010', 'purchase', 'ask_address', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (163, '34611000010', 'purchase', 'summary', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (164, '34611000010', 'purchase', 'confirm_order', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (165, '34611000010', 'purchase', 'place_order', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (166, '34611000010', 'purchase', 'pay', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (167, '34611000010', 'purchase', 'placed', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (168, '34611000010', 'purchase', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (169, '34611000011', 'purchase', 'begin', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (170, '34611000011', 'purchase', 'categories', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (171, '34611000011', 'purchase', 'pick_category', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (172, '34611000011', 'purchase', 'read_category', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (173, '34611000011', 'purchase', 'products', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (174, '34611000011', 'purchase', 'pick_product', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (175, '34611000011', 'purchase', 'read_product', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (176, '34611000011', 'purchase', 'product', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (177, '34611000011', 'purchase', 'ask_quantity', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (178, '34611000011', 'purchase', 'add_to_cart', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (179, '34611000011', 'purchase', 'cart_menu', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (180, '34611000011', 'purchase', 'checkout', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (181, '34611000011', 'purchase', 'ask_fulfilment', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (182, '34611000011', 'purchase', 'ask_pickup', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (183, '34611000011', 'purchase', 'summary', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (184, '34611000011', 'purchase', 'confirm_order', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (185, '34611000012', 'purchase', 'begin', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (186, '34611000012', 'purchase', 'categories', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (187, '34611000012', 'purchase', 'pick_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (188, '34611000012', 'purchase', 'read_category', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (189, '34611000012', 'purchase', 'products', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (190, '34611000012', 'purchase', 'pick_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (191, '34611000012', 'purchase', 'read_product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (192, '34611000012', 'purchase', 'product', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (193, '34611000012', 'purchase', 'add_to_cart', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (194, '34611000012', 'purchase', 'cart_menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (195, '34611000012', 'purchase', 'checkout', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (196, '34611000012', 'purchase', 'summary', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (197, '34611000012', 'purchase', 'confirm_order', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (198, '34611000012', 'purchase', 'place_order', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (199, '34611000012', 'purchase', 'pay', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (200, '34611000012', 'purchase', 'placed', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (201, '34611000012', 'purchase', '__end__', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (202, '34611000013', 'main_menu', 'greet', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (203, '34611000013', 'main_menu', 'menu', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (204, '34611000013', 'main_menu', 'person', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_flow_step (id, wa_id, flow, state, at) VALUES (205, '34611000013', 'main_menu', '__handoff__', '2026-03-03 09:00:00+00');


--
-- Data for Name: waflow_handoff_event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_handoff_event (id, wa_id, kind, at, staff_id) VALUES (1, '34611000002', 'requested', '2026-12-06 09:00:00+00', NULL);
INSERT INTO public.waflow_handoff_event (id, wa_id, kind, at, staff_id) VALUES (2, '34611000013', 'requested', '2026-03-03 09:00:00+00', NULL);


--
-- Data for Name: waflow_inbound; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (1, 'message:wamid.RELEASE.01.0001', 'message', 'messages', '34611000001', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000001", "id": "wamid.RELEASE.01.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "gluten"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000001"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (2, 'message:wamid.RELEASE.01.0002', 'message', 'messages', '34611000001', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000001", "id": "wamid.RELEASE.01.0002", "timestamp": "1772528400", "type": "text", "text": {"body": "the cheesecake please"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000001"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (3, 'message:wamid.RELEASE.02.0001', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0001", "timestamp": "1796547600", "type": "text", "text": {"body": "book"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (4, 'message:wamid.RELEASE.02.0002', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0002", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "svc:wedding", "title": "Wedding consultation"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (5, 'message:wamid.RELEASE.02.0003', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0003", "timestamp": "1796547600", "type": "text", "text": {"body": "tomorrow"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (6, 'message:wamid.RELEASE.02.0004', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0004", "timestamp": "1796547600", "type": "text", "text": {"body": "08/12"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (7, 'message:wamid.RELEASE.02.0005', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0005", "timestamp": "1796547600", "type": "text", "text": {"body": "31/02"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (8, 'message:wamid.RELEASE.02.0006', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0006", "timestamp": "1796547600", "type": "text", "text": {"body": "2/11"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (9, 'message:wamid.RELEASE.02.0007', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0007", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "again", "title": "Try again"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (10, 'message:wamid.RELEASE.02.0008', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0008", "timestamp": "1796547600", "type": "text", "text": {"body": "next friday"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (11, 'message:wamid.RELEASE.02.0009', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0009", "timestamp": "1796547600", "type": "text", "text": {"body": "quit"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (12, 'message:wamid.RELEASE.02.0010', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0010", "timestamp": "1796547600", "type": "text", "text": {"body": "book"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (13, 'message:wamid.RELEASE.02.0011', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0011", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "svc:tasting", "title": "Cake tasting"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (14, 'message:wamid.RELEASE.02.0012', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0012", "timestamp": "1796547600", "type": "text", "text": {"body": "sunday"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (15, 'message:wamid.RELEASE.02.0013', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0013", "timestamp": "1796547600", "type": "text", "text": {"body": "monday"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (16, 'message:wamid.RELEASE.02.0014', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0014", "timestamp": "1796547600", "type": "text", "text": {"body": "25/12"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (17, 'message:wamid.RELEASE.02.0015', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0015", "timestamp": "1796547600", "type": "text", "text": {"body": "30/02"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (18, 'message:wamid.RELEASE.02.0016', 'message', 'messages', '34611000002', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000002", "id": "wamid.RELEASE.02.0016", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "person", "title": "Talk to a person"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000002"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (19, 'message:wamid.RELEASE.03.0001', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "hi"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (20, 'message:wamid.RELEASE.03.0002', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "book", "title": "Wedding cakes & tastings"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (21, 'message:wamid.RELEASE.03.0003', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0003", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "svc:wedding", "title": "Wedding consultation"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (22, 'message:wamid.RELEASE.03.0004', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0004", "timestamp": "1772528400", "type": "text", "text": {"body": "monday"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (23, 'message:wamid.RELEASE.03.0005', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0005", "timestamp": "1772528400", "type": "text", "text": {"body": "tomorrow"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (24, 'message:wamid.RELEASE.03.0006', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0006", "timestamp": "1772528400", "type": "text", "text": {"body": "9:00"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (25, 'message:wamid.RELEASE.03.0007', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0007", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "time:20260304T0900Z", "title": "10:00"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (26, 'message:wamid.RELEASE.03.0008', 'message', 'messages', '34611000003', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000003", "id": "wamid.RELEASE.03.0008", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "confirm", "title": "Confirm"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000003"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (27, 'message:wamid.RELEASE.04.0001', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "shop"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (28, 'message:wamid.RELEASE.04.0002', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "cat:cakes", "title": "Cakes"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (29, 'message:wamid.RELEASE.04.0003', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0003", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "prod:choc", "title": "Chocolate fudge cake"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (30, 'message:wamid.RELEASE.04.0004', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0004", "timestamp": "1772528400", "type": "text", "text": {"body": "2"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (31, 'message:wamid.RELEASE.04.0005', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0005", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "change", "title": "Change cart"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (32, 'message:wamid.RELEASE.04.0006', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0006", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "line:choc", "title": "Chocolate fudge cake"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (33, 'message:wamid.RELEASE.04.0007', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0007", "timestamp": "1772528400", "type": "text", "text": {"body": "1"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (34, 'message:wamid.RELEASE.04.0008', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0008", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "change", "title": "Change cart"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (35, 'message:wamid.RELEASE.04.0009', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0009", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "line:choc", "title": "Chocolate fudge cake"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (36, 'message:wamid.RELEASE.04.0010', 'message', 'messages', '34611000004', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000004", "id": "wamid.RELEASE.04.0010", "timestamp": "1772528400", "type": "text", "text": {"body": "0"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000004"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (37, 'message:wamid.RELEASE.05.0001', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "shop"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (38, 'message:wamid.RELEASE.05.0002', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "cat:cakes", "title": "Cakes"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (39, 'message:wamid.RELEASE.05.0003', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0003", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "prod:lemon", "title": "Lemon drizzle cake"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (40, 'message:wamid.RELEASE.05.0004', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0004", "timestamp": "1772528400", "type": "text", "text": {"body": "1"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (41, 'message:wamid.RELEASE.05.0005', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0005", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "checkout", "title": "Checkout"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (42, 'message:wamid.RELEASE.05.0006', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0006", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "delivery", "title": "Delivery"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (43, 'message:wamid.RELEASE.05.0007', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0007", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "type", "title": "Type address"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (44, 'message:wamid.RELEASE.05.0008', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0008", "timestamp": "1772528400", "type": "text", "text": {"body": "Carrer de Pelai 8, 08001 Barcelona"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (45, 'message:wamid.RELEASE.05.0009', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0009", "timestamp": "1772528400", "type": "text", "text": {"body": "Calle Mayor 1, Madrid"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (46, 'message:wamid.RELEASE.05.0010', 'message', 'messages', '34611000005', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000005", "id": "wamid.RELEASE.05.0010", "timestamp": "1772528400", "type": "text", "text": {"body": "Calle Mayor 1, 28013 Madrid"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000005"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (47, 'message:wamid.RELEASE.06.0001', 'message', 'messages', '34611000006', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000006", "id": "wamid.RELEASE.06.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "do you deliver"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000006"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (48, 'message:wamid.RELEASE.06.0002', 'message', 'messages', '34611000006', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000006", "id": "wamid.RELEASE.06.0002", "timestamp": "1772528400", "type": "text", "text": {"body": "near the park"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000006"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (49, 'message:wamid.RELEASE.06.0003', 'message', 'messages', '34611000006', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000006", "id": "wamid.RELEASE.06.0003", "timestamp": "1772528400", "type": "text", "text": {"body": "Carrer de Pelai 8, 08001 Barcelona"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000006"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (50, 'message:wamid.RELEASE.06.0004', 'message', 'messages', '34611000006', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000006", "id": "wamid.RELEASE.06.0004", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "shop", "title": "Order for pickup"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000006"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (51, 'message:wamid.RELEASE.07.0001', 'message', 'messages', '34611000007', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000007", "id": "wamid.RELEASE.07.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "feedback"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000007"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (52, 'message:wamid.RELEASE.07.0002', 'message', 'messages', '34611000007', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000007", "id": "wamid.RELEASE.07.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "5", "title": "\u2b50\u2b50\u2b50\u2b50\u2b50 5"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000007"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (53, 'message:wamid.RELEASE.07.0003', 'message', 'messages', '34611000007', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000007", "id": "wamid.RELEASE.07.0003", "timestamp": "1772528400", "type": "text", "text": {"body": "ten"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000007"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (54, 'message:wamid.RELEASE.07.0004', 'message', 'messages', '34611000007', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000007", "id": "wamid.RELEASE.07.0004", "timestamp": "1772528400", "type": "text", "text": {"body": "10"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000007"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (55, 'message:wamid.RELEASE.07.0005', 'message', 'messages', '34611000007', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000007", "id": "wamid.RELEASE.07.0005", "timestamp": "1772528400", "type": "text", "text": {"body": "The lemon drizzle was perfect"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000007"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (56, 'message:wamid.RELEASE.07.0006', 'message', 'messages', '34611000007', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000007", "id": "wamid.RELEASE.07.0006", "timestamp": "1772528400", "type": "text", "text": {"body": "review"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000007"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (57, 'message:wamid.RELEASE.08.0001', 'message', 'messages', '34611000008', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000008", "id": "wamid.RELEASE.08.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "hi"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000008"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (58, 'message:wamid.RELEASE.08.0002', 'message', 'messages', '34611000008', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000008", "id": "wamid.RELEASE.08.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "feedback", "title": "Give feedback"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000008"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (59, 'message:wamid.RELEASE.08.0003', 'message', 'messages', '34611000008', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000008", "id": "wamid.RELEASE.08.0003", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "2", "title": "\u2b50\u2b50 2"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000008"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (60, 'message:wamid.RELEASE.08.0004', 'message', 'messages', '34611000008', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000008", "id": "wamid.RELEASE.08.0004", "timestamp": "1772528400", "type": "text", "text": {"body": "4"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000008"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (61, 'message:wamid.RELEASE.08.0005', 'message', 'messages', '34611000008', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000008", "id": "wamid.RELEASE.08.0005", "timestamp": "1772528400", "type": "text", "text": {"body": "The cake arrived an hour late"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000008"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (62, 'message:wamid.RELEASE.08.0006', 'message', 'messages', '34611000008', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000008", "id": "wamid.RELEASE.08.0006", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "skip", "title": "Skip"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000008"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (63, 'message:wamid.RELEASE.09.0001', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "hi"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (64, 'message:wamid.RELEASE.09.0002', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0002", "timestamp": "1772528400", "type": "text", "text": {"body": "stop"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (65, 'message:wamid.RELEASE.09.0003', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0003", "timestamp": "1772528400", "type": "text", "text": {"body": "help"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (66, 'message:wamid.RELEASE.09.0004', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0004", "timestamp": "1772528400", "type": "text", "text": {"body": "orders"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (67, 'message:wamid.RELEASE.09.0005', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0005", "timestamp": "1772528400", "type": "text", "text": {"body": "menu"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (68, 'message:wamid.RELEASE.09.0006', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0006", "timestamp": "1772528400", "type": "text", "text": {"body": "cart"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (69, 'message:wamid.RELEASE.09.0007', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0007", "timestamp": "1772528400", "type": "text", "text": {"body": "menu"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (70, 'message:wamid.RELEASE.09.0008', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0008", "timestamp": "1772528400", "type": "text", "text": {"body": "my bookings"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (71, 'message:wamid.RELEASE.09.0009', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0009", "timestamp": "1772528400", "type": "text", "text": {"body": "menu"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (72, 'message:wamid.RELEASE.09.0010', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0010", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "shop", "title": "Order cakes & treats"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (73, 'message:wamid.RELEASE.09.0011', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0011", "timestamp": "1772528400", "type": "text", "text": {"body": "my bookings"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (74, 'message:wamid.RELEASE.09.0012', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0012", "timestamp": "1772528400", "type": "text", "text": {"body": "menu"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (75, 'message:wamid.RELEASE.09.0013', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0013", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "shop", "title": "Order cakes & treats"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (76, 'message:wamid.RELEASE.09.0014', 'message', 'messages', '34611000009', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000009", "id": "wamid.RELEASE.09.0014", "timestamp": "1772528400", "type": "text", "text": {"body": "orders"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000009"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (77, 'message:wamid.RELEASE.10.0001', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "hi"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (78, 'message:wamid.RELEASE.10.0002', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "shop", "title": "Order cakes & treats"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (79, 'message:wamid.RELEASE.10.0003', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0003", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "cat:cakes", "title": "Cakes"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (80, 'message:wamid.RELEASE.10.0004', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0004", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "prod:lemon", "title": "Lemon drizzle cake"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (81, 'message:wamid.RELEASE.10.0005', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0005", "timestamp": "1772528400", "type": "text", "text": {"body": "0"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (82, 'message:wamid.RELEASE.10.0006', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0006", "timestamp": "1772528400", "type": "text", "text": {"body": "lots"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (83, 'message:wamid.RELEASE.10.0007', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0007", "timestamp": "1772528400", "type": "text", "text": {"body": "2"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (84, 'message:wamid.RELEASE.10.0008', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0008", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "checkout", "title": "Checkout"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (85, 'message:wamid.RELEASE.10.0009', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0009", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "delivery", "title": "Delivery"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (86, 'message:wamid.RELEASE.10.0010', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0010", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "type", "title": "Type address"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (87, 'message:wamid.RELEASE.10.0011', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0011", "timestamp": "1772528400", "type": "text", "text": {"body": "Calle de Hortaleza 10, 28004 Madrid"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (88, 'message:wamid.RELEASE.10.0012', 'message', 'messages', '34611000010', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000010", "id": "wamid.RELEASE.10.0012", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "place", "title": "Place order"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000010"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (89, 'message:wamid.RELEASE.11.0001', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0001", "timestamp": "1796547600", "type": "text", "text": {"body": "shop"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (90, 'message:wamid.RELEASE.11.0002', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0002", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "cat:treats", "title": "Treats"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (91, 'message:wamid.RELEASE.11.0003', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0003", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "prod:croissants", "title": "Croissant box"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (92, 'message:wamid.RELEASE.11.0004', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0004", "timestamp": "1796547600", "type": "text", "text": {"body": "1"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (93, 'message:wamid.RELEASE.11.0005', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0005", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "checkout", "title": "Checkout"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (94, 'message:wamid.RELEASE.11.0006', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0006", "timestamp": "1796547600", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "pickup", "title": "Pickup"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (95, 'message:wamid.RELEASE.11.0007', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0007", "timestamp": "1796547600", "type": "text", "text": {"body": "tomorrow 11:00"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (96, 'message:wamid.RELEASE.11.0008', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0008", "timestamp": "1796547600", "type": "text", "text": {"body": "8/12 11:00"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (97, 'message:wamid.RELEASE.11.0009', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0009", "timestamp": "1796547600", "type": "text", "text": {"body": "wednesday 15:00"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (98, 'message:wamid.RELEASE.11.0010', 'message', 'messages', '34611000011', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000011", "id": "wamid.RELEASE.11.0010", "timestamp": "1796547600", "type": "text", "text": {"body": "wednesday 4pm"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000011"}]}', '2026-12-06 09:00:00+00', 'done', 1, '2026-12-06 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (99, 'message:wamid.RELEASE.12.0001', 'message', 'messages', '34611000012', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000012", "id": "wamid.RELEASE.12.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "shop"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000012"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (100, 'message:wamid.RELEASE.12.0002', 'message', 'messages', '34611000012', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000012", "id": "wamid.RELEASE.12.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "cat:recipes", "title": "Recipes & classes"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000012"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (101, 'message:wamid.RELEASE.12.0003', 'message', 'messages', '34611000012', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000012", "id": "wamid.RELEASE.12.0003", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "prod:book", "title": "Miga recipe book"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000012"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (102, 'message:wamid.RELEASE.12.0004', 'message', 'messages', '34611000012', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000012", "id": "wamid.RELEASE.12.0004", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "checkout", "title": "Checkout"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000012"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (103, 'message:wamid.RELEASE.12.0005', 'message', 'messages', '34611000012', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000012", "id": "wamid.RELEASE.12.0005", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "place", "title": "Place order"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000012"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (104, 'message:wamid.RELEASE.13.0001', 'message', 'messages', '34611000013', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000013", "id": "wamid.RELEASE.13.0001", "timestamp": "1772528400", "type": "text", "text": {"body": "hi"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000013"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (105, 'message:wamid.RELEASE.13.0002', 'message', 'messages', '34611000013', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000013", "id": "wamid.RELEASE.13.0002", "timestamp": "1772528400", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "person", "title": "Talk to a person"}}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000013"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);
INSERT INTO public.waflow_inbound (id, dedupe_key, kind, field, wa_id, phone_number_id, value, received_at, state, attempts, processed_at, retry_at, error) VALUES (106, 'message:wamid.RELEASE.13.0003', 'message', 'messages', '34611000013', '106540352242922', '{"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"}, "messages": [{"from": "34611000013", "id": "wamid.RELEASE.13.0003", "timestamp": "1772528400", "type": "text", "text": {"body": "Can you write \"Happy birthday Leo\" on the cake?"}}], "contacts": [{"profile": {"name": "Lucia"}, "wa_id": "34611000013"}]}', '2026-03-03 09:00:00+00', 'done', 1, '2026-03-03 09:00:00+00', NULL, NULL);


--
-- Data for Name: waflow_inbox_note; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_inbox_thread; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_order; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_order (id, number, wa_id, status, fulfilment, address, latitude, longitude, location_name, subtotal, delivery_fee, total, currency, provider, payment_reference, payment_url, tracking_url, expires_at, created_at, paid_at, updated_at) VALUES (1, 'MG-ZAW3A', '34611000010', 'pending_payment', 'delivery', 'Calle de Hortaleza 10, 28004 Madrid', NULL, NULL, NULL, 5200, 0, 5200, 'EUR', 'manual', NULL, NULL, NULL, '2026-03-04 09:00:00+00', '2026-03-03 09:00:00+00', NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_order (id, number, wa_id, status, fulfilment, address, latitude, longitude, location_name, subtotal, delivery_fee, total, currency, provider, payment_reference, payment_url, tracking_url, expires_at, created_at, paid_at, updated_at) VALUES (2, 'MG-VK2UB', '34611000012', 'pending_payment', 'digital', NULL, NULL, NULL, NULL, 990, 0, 990, 'EUR', 'manual', NULL, NULL, NULL, '2026-03-04 09:00:00+00', '2026-03-03 09:00:00+00', NULL, '2026-03-03 09:00:00+00');


--
-- Data for Name: waflow_order_event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_order_event (id, order_id, status, note, tracking_url, actor, created_at) VALUES (1, 1, 'pending_payment', NULL, NULL, 'customer', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_order_event (id, order_id, status, note, tracking_url, actor, created_at) VALUES (2, 2, 'pending_payment', NULL, NULL, 'customer', '2026-03-03 09:00:00+00');


--
-- Data for Name: waflow_order_line; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_order_line (id, order_id, product_id, title, kind, unit_price, quantity, line_total) VALUES (1, 1, 'lemon', 'Lemon drizzle cake', 'physical', 2600, 2, 5200);
INSERT INTO public.waflow_order_line (id, order_id, product_id, title, kind, unit_price, quantity, line_total) VALUES (2, 2, 'book', 'Miga recipe book', 'digital', 990, 1, 990);


--
-- Data for Name: waflow_outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (1, '34611000001', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000001", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which of our products would you like to know about?"}, "action": {"button": "Products", "sections": [{"rows": [{"id": "choc", "title": "Chocolate fudge cake"}, {"id": "lemon", "title": "Lemon drizzle cake"}, {"id": "carrot", "title": "Carrot cake"}, {"id": "basque", "title": "Basque cheesecake"}, {"id": "treats", "title": "Cookies & croissants"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 1, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (2, '34611000001', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000001", "type": "text", "text": {"body": "*Basque cheesecake* contains eggs and milk, and a little wheat flour (gluten).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 2, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (3, '34611000001', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000001", "type": "text", "text": {"body": "Everything is baked in one kitchen that also handles nuts, sesame and soya, so we can''t rule out traces. For a special diet, type *talk to a person*.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 2, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (4, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which service would you like to book?"}, "action": {"button": "Services", "sections": [{"rows": [{"id": "svc:wedding", "title": "Wedding consultation", "description": "1 h"}, {"id": "svc:tasting", "title": "Cake tasting", "description": "30 min \u00b7 \u20ac15.00"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 3, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (5, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Tap a service in the list above, or type its name.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 3, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (6, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Wedding consultation (1 h). Which day suits you?"}, "footer": {"text": "Page 1 of 3"}, "action": {"button": "Choose a day", "sections": [{"rows": [{"id": "day:2026-12-09", "title": "Wed 9 Dec", "description": "12 free times"}, {"id": "day:2026-12-10", "title": "Thu 10 Dec", "description": "12 free times"}, {"id": "day:2026-12-11", "title": "Fri 11 Dec", "description": "12 free times"}, {"id": "day:2026-12-12", "title": "Sat 12 Dec", "description": "7 free times"}, {"id": "day:2026-12-15", "title": "Tue 15 Dec", "description": "12 free times"}, {"id": "day:2026-12-16", "title": "Wed 16 Dec", "description": "12 free times"}, {"id": "day:2026-12-17", "title": "Thu 17 Dec", "description": "12 free times"}, {"id": "day:2026-12-18", "title": "Fri 18 Dec", "description": "12 free times"}, {"id": "page:1", "title": "More \u25b6", "description": "Page 2 of 3"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 4, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (7, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Tap a day in the list above, or type a date such as 14/03 or *tomorrow*.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 4, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (8, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "We are closed on Mondays. Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 5, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (9, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "We are closed on Tuesday 8 December (holiday). Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 6, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (10, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "There is no 31 February. Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 7, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (11, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Monday 2 November is in the past. Please choose a later date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 8, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (12, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Let''s not get stuck here. I kept your choice: Wedding consultation. What would you like to do?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "again", "title": "Try again"}}, {"type": "reply", "reply": {"id": "menu", "title": "Main menu"}}, {"type": "reply", "reply": {"id": "person", "title": "Talk to a person"}}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 8, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (26, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Let''s not get stuck here. I kept your choice: Cake tasting. What would you like to do?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "again", "title": "Try again"}}, {"type": "reply", "reply": {"id": "menu", "title": "Main menu"}}, {"type": "reply", "reply": {"id": "person", "title": "Talk to a person"}}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.23', NULL, 17, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (27, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "We''re closed right now. Someone from the team will answer here when we open, on Wednesday 9 December at 10:00.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.24', NULL, 18, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (29, '34600000001', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34600000001", "type": "template", "template": {"name": "staff_handoff", "language": {"code": "en_GB"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Lucia"}, {"type": "text", "text": "+34611000002"}, {"type": "text", "text": "Talk to a person"}]}]}}', 'sent', 'utility', NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.26', NULL, NULL, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (13, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Wedding consultation (1 h). Which day suits you?"}, "footer": {"text": "Page 1 of 3"}, "action": {"button": "Choose a day", "sections": [{"rows": [{"id": "day:2026-12-09", "title": "Wed 9 Dec", "description": "12 free times"}, {"id": "day:2026-12-10", "title": "Thu 10 Dec", "description": "12 free times"}, {"id": "day:2026-12-11", "title": "Fri 11 Dec", "description": "12 free times"}, {"id": "day:2026-12-12", "title": "Sat 12 Dec", "description": "7 free times"}, {"id": "day:2026-12-15", "title": "Tue 15 Dec", "description": "12 free times"}, {"id": "day:2026-12-16", "title": "Wed 16 Dec", "description": "12 free times"}, {"id": "day:2026-12-17", "title": "Thu 17 Dec", "description": "12 free times"}, {"id": "day:2026-12-18", "title": "Fri 18 Dec", "description": "12 free times"}, {"id": "page:1", "title": "More \u25b6", "description": "Page 2 of 3"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 9, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (14, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Tap a day in the list above, or type a date such as 14/03 or *tomorrow*.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 9, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (15, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Free times on Friday 11 December:"}, "footer": {"text": "Page 1 of 2"}, "action": {"button": "Choose a time", "sections": [{"rows": [{"id": "time:20261211T0900Z", "title": "10:00"}, {"id": "time:20261211T0930Z", "title": "10:30"}, {"id": "time:20261211T1000Z", "title": "11:00"}, {"id": "time:20261211T1030Z", "title": "11:30"}, {"id": "time:20261211T1100Z", "title": "12:00"}, {"id": "time:20261211T1130Z", "title": "12:30"}, {"id": "time:20261211T1200Z", "title": "13:00"}, {"id": "time:20261211T1500Z", "title": "16:00"}, {"id": "page:1", "title": "More \u25b6", "description": "Page 2 of 2"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.12', NULL, 10, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (16, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Tap a time in the list above, or type one such as 10:30 (or *other day*).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.13', NULL, 10, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (17, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "OK, nothing was booked.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.14', NULL, 11, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (18, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which service would you like to book?"}, "action": {"button": "Services", "sections": [{"rows": [{"id": "svc:wedding", "title": "Wedding consultation", "description": "1 h"}, {"id": "svc:tasting", "title": "Cake tasting", "description": "30 min \u00b7 \u20ac15.00"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.15', NULL, 12, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (19, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Tap a service in the list above, or type its name.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.16', NULL, 12, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (20, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Cake tasting (30 min \u00b7 \u20ac15.00). Which day suits you?"}, "footer": {"text": "Page 1 of 3"}, "action": {"button": "Choose a day", "sections": [{"rows": [{"id": "day:2026-12-09", "title": "Wed 9 Dec", "description": "14 free times"}, {"id": "day:2026-12-10", "title": "Thu 10 Dec", "description": "14 free times"}, {"id": "day:2026-12-11", "title": "Fri 11 Dec", "description": "14 free times"}, {"id": "day:2026-12-12", "title": "Sat 12 Dec", "description": "8 free times"}, {"id": "day:2026-12-15", "title": "Tue 15 Dec", "description": "14 free times"}, {"id": "day:2026-12-16", "title": "Wed 16 Dec", "description": "14 free times"}, {"id": "day:2026-12-17", "title": "Thu 17 Dec", "description": "14 free times"}, {"id": "day:2026-12-18", "title": "Fri 18 Dec", "description": "14 free times"}, {"id": "page:1", "title": "More \u25b6", "description": "Page 2 of 3"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.17', NULL, 13, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (21, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "Tap a day in the list above, or type a date such as 14/03 or *tomorrow*.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.18', NULL, 13, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (22, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "We are closed on Sundays. Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.19', NULL, 14, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (23, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "We are closed on Mondays. Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.20', NULL, 15, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (24, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "We are closed on Friday 25 December (holiday). Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.21', NULL, 16, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (25, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "There is no 30 February. Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.22', NULL, 17, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (28, '34611000002', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000002", "type": "text", "text": {"body": "I''m passing you to a person. They''ll answer here as soon as they can, and they can see what you chose.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.25', NULL, 18, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (30, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 19, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (31, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which service would you like to book?"}, "action": {"button": "Services", "sections": [{"rows": [{"id": "svc:wedding", "title": "Wedding consultation", "description": "1 h"}, {"id": "svc:tasting", "title": "Cake tasting", "description": "30 min \u00b7 \u20ac15.00"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 20, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (32, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "text", "text": {"body": "Tap a service in the list above, or type its name.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 20, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (34, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "text", "text": {"body": "Tap a day in the list above, or type a date such as 14/03 or *tomorrow*.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 21, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (48, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which line do you want to change?"}, "action": {"button": "Your cart", "sections": [{"rows": [{"id": "line:choc", "title": "Chocolate fudge cake", "description": "2 \u00d7 \u20ac32.00"}, {"id": "cart:clear", "title": "Empty the cart", "description": "Remove everything"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 31, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (49, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "Tap *Your cart* and choose the line to change.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 31, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (50, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "How many Chocolate fudge cake do you want now? Send a number, or *0* to remove it.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 32, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (51, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "button", "body": {"text": "1 \u00d7 Chocolate fudge cake \u2014 \u20ac32.00\nSubtotal: \u20ac32.00"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "checkout", "title": "Checkout"}}, {"type": "reply", "reply": {"id": "more", "title": "Keep shopping"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 33, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (52, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which line do you want to change?"}, "action": {"button": "Your cart", "sections": [{"rows": [{"id": "line:choc", "title": "Chocolate fudge cake", "description": "1 \u00d7 \u20ac32.00"}, {"id": "cart:clear", "title": "Empty the cart", "description": "Remove everything"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.12', NULL, 34, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (53, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "Tap *Your cart* and choose the line to change.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.13', NULL, 34, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (54, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "How many Chocolate fudge cake do you want now? Send a number, or *0* to remove it.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.14', NULL, 35, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (55, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "Your cart is empty.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.15', NULL, 36, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (56, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.16', NULL, 36, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (57, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.17', NULL, 36, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (59, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 37, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (145, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "interactive", "interactive": {"type": "button", "body": {"text": "1 \u00d7 Miga recipe book \u2014 \u20ac9.90\nSubtotal: \u20ac9.90"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "checkout", "title": "Checkout"}}, {"type": "reply", "reply": {"id": "more", "title": "Keep shopping"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 101, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (33, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Wedding consultation (1 h). Which day suits you?"}, "footer": {"text": "Page 1 of 3"}, "action": {"button": "Choose a day", "sections": [{"rows": [{"id": "day:2026-03-04", "title": "Wed 4 Mar", "description": "12 free times"}, {"id": "day:2026-03-05", "title": "Thu 5 Mar", "description": "12 free times"}, {"id": "day:2026-03-06", "title": "Fri 6 Mar", "description": "12 free times"}, {"id": "day:2026-03-07", "title": "Sat 7 Mar", "description": "7 free times"}, {"id": "day:2026-03-10", "title": "Tue 10 Mar", "description": "12 free times"}, {"id": "day:2026-03-11", "title": "Wed 11 Mar", "description": "12 free times"}, {"id": "day:2026-03-12", "title": "Thu 12 Mar", "description": "12 free times"}, {"id": "day:2026-03-13", "title": "Fri 13 Mar", "description": "12 free times"}, {"id": "page:1", "title": "More \u25b6", "description": "Page 2 of 3"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 21, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (35, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "text", "text": {"body": "We are closed on Mondays. Please choose another date.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 22, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (36, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Free times on Wednesday 4 March:"}, "footer": {"text": "Page 1 of 2"}, "action": {"button": "Choose a time", "sections": [{"rows": [{"id": "time:20260304T0900Z", "title": "10:00"}, {"id": "time:20260304T0930Z", "title": "10:30"}, {"id": "time:20260304T1000Z", "title": "11:00"}, {"id": "time:20260304T1030Z", "title": "11:30"}, {"id": "time:20260304T1100Z", "title": "12:00"}, {"id": "time:20260304T1130Z", "title": "12:30"}, {"id": "time:20260304T1200Z", "title": "13:00"}, {"id": "time:20260304T1500Z", "title": "16:00"}, {"id": "page:1", "title": "More \u25b6", "description": "Page 2 of 2"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 23, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (37, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "text", "text": {"body": "Tap a time in the list above, or type one such as 10:30 (or *other day*).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 23, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (38, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "text", "text": {"body": "Wedding consultation cannot start at 09:00: we are not open then.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 24, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (39, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Wedding consultation on Wednesday 4 March at 10:00 (1 h). Shall I book it?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "confirm", "title": "Confirm"}}, {"type": "reply", "reply": {"id": "change", "title": "Another time"}}, {"type": "reply", "reply": {"id": "drop", "title": "Not now"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 25, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (40, '34611000003', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000003", "type": "text", "text": {"body": "Booked! Wedding consultation, Wed 4 Mar at 10:00 (1 h), booking #1. See you then!", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 26, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (41, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 27, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (42, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 27, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (43, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Cakes: tap *Products* to choose."}, "action": {"button": "Products", "sections": [{"rows": [{"id": "prod:choc", "title": "Chocolate fudge cake", "description": "\u20ac32.00 \u00b7 Dark chocolate sponge, fudge icing"}, {"id": "prod:lemon", "title": "Lemon drizzle cake", "description": "\u20ac26.00 \u00b7 4 left \u00b7 Lemon sponge soaked in lemon syrup"}, {"id": "prod:carrot", "title": "Carrot cake", "description": "\u20ac28.00 \u00b7 2 left \u00b7 Walnuts, cinnamon, cream cheese frosting"}, {"id": "prod:basque", "title": "Basque cheesecake", "description": "\u20ac30.00 \u00b7 Burnt top, creamy middle; baked to order"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 28, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (44, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "Tap *Products* to choose one, or type *back* for the categories.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 28, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (45, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "image", "image": {"link": "https://miga.example/img/chocolate-fudge.jpg", "caption": "*Chocolate fudge cake*\n\u20ac32.00\nDark chocolate sponge, fudge icing"}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 29, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (46, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "text", "text": {"body": "How many would you like? Send a number from 1 to 6.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 29, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (47, '34611000004', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000004", "type": "interactive", "interactive": {"type": "button", "body": {"text": "2 \u00d7 Chocolate fudge cake \u2014 \u20ac64.00\nSubtotal: \u20ac64.00"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "checkout", "title": "Checkout"}}, {"type": "reply", "reply": {"id": "more", "title": "Keep shopping"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 30, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (58, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 37, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (60, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Cakes: tap *Products* to choose."}, "action": {"button": "Products", "sections": [{"rows": [{"id": "prod:choc", "title": "Chocolate fudge cake", "description": "\u20ac32.00 \u00b7 Dark chocolate sponge, fudge icing"}, {"id": "prod:lemon", "title": "Lemon drizzle cake", "description": "\u20ac26.00 \u00b7 4 left \u00b7 Lemon sponge soaked in lemon syrup"}, {"id": "prod:carrot", "title": "Carrot cake", "description": "\u20ac28.00 \u00b7 2 left \u00b7 Walnuts, cinnamon, cream cheese frosting"}, {"id": "prod:basque", "title": "Basque cheesecake", "description": "\u20ac30.00 \u00b7 Burnt top, creamy middle; baked to order"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 38, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (61, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "text", "text": {"body": "Tap *Products* to choose one, or type *back* for the categories.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 38, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (62, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "image", "image": {"link": "https://miga.example/img/lemon-drizzle.jpg", "caption": "*Lemon drizzle cake*\n\u20ac26.00\nLemon sponge soaked in lemon syrup\n4 left"}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 39, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (63, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "text", "text": {"body": "How many would you like? Send a number from 1 to 4.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 39, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (64, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "interactive", "interactive": {"type": "button", "body": {"text": "1 \u00d7 Lemon drizzle cake \u2014 \u20ac26.00\nSubtotal: \u20ac26.00"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "checkout", "title": "Checkout"}}, {"type": "reply", "reply": {"id": "more", "title": "Keep shopping"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 40, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (65, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Would you like to pick up your order or have it delivered?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "pickup", "title": "Pickup"}}, {"type": "reply", "reply": {"id": "delivery", "title": "Delivery"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 41, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (66, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Where should we deliver?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "type", "title": "Type address"}}, {"type": "reply", "reply": {"id": "share", "title": "Share location"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 42, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (67, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "text", "text": {"body": "Please type the delivery address (street, number, city).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 43, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (68, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "text", "text": {"body": "Sorry, we only deliver in central Madrid (postcodes 28001 to 28015). Type another address, or type cart to choose pickup at Calle de Fuencarral 45 instead.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 44, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (69, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "text", "text": {"body": "Please include the postcode (five digits, for example 28004).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.12', NULL, 45, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (70, '34611000005', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000005", "type": "interactive", "interactive": {"type": "button", "header": {"type": "text", "text": "Your order"}, "body": {"text": "1 \u00d7 Lemon drizzle cake \u2014 \u20ac26.00\nDelivery: \u20ac4.50\nTotal: \u20ac30.50\nDeliver to: Calle Mayor 1, 28013 Madrid"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "place", "title": "Place order"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}, {"type": "reply", "reply": {"id": "drop", "title": "Not now"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.13', NULL, 46, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (71, '34611000006', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000006", "type": "text", "text": {"body": "Where should we deliver? Send your postcode or your full address.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 47, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (72, '34611000006', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000006", "type": "text", "text": {"body": "Please send your postcode (five digits, for example 28004).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 48, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (73, '34611000006', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000006", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Sorry, we only deliver in central Madrid (postcodes 28001 to 28015). You''re welcome to pick up your order at Calle de Fuencarral 45."}, "action": {"buttons": [{"type": "reply", "reply": {"id": "shop", "title": "Order for pickup"}}, {"type": "reply", "reply": {"id": "done", "title": "Not now"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 49, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (74, '34611000006', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000006", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 50, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (75, '34611000006', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000006", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 50, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (76, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "text", "text": {"body": "Thank you for ordering from Miga! Would you answer a few quick questions?", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 51, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (77, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "interactive", "interactive": {"type": "list", "body": {"text": "How did you like your order?"}, "action": {"button": "Choose", "sections": [{"rows": [{"id": "1", "title": "\u2b50 1"}, {"id": "2", "title": "\u2b50\u2b50 2"}, {"id": "3", "title": "\u2b50\u2b50\u2b50 3"}, {"id": "4", "title": "\u2b50\u2b50\u2b50\u2b50 4"}, {"id": "5", "title": "\u2b50\u2b50\u2b50\u2b50\u2b50 5"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 51, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (78, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "text", "text": {"body": "How likely are you to recommend Miga to a friend?\n\n(Reply with a number from 0 to 10.)", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 52, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (79, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "text", "text": {"body": "Please answer with a number from 0 to 10.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 53, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (80, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Anything else you would like to tell us?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "skip", "title": "Skip"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 54, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (81, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "text", "text": {"body": "Thank you! Your answers help us bake better. \ud83e\uddc1", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 55, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (82, '34611000007', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000007", "type": "text", "text": {"body": "You have already answered this survey. Thank you!", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 56, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (83, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 57, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (84, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "text", "text": {"body": "Thank you for ordering from Miga! Would you answer a few quick questions?", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 58, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (85, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "interactive", "interactive": {"type": "list", "body": {"text": "How did you like your order?"}, "action": {"button": "Choose", "sections": [{"rows": [{"id": "1", "title": "\u2b50 1"}, {"id": "2", "title": "\u2b50\u2b50 2"}, {"id": "3", "title": "\u2b50\u2b50\u2b50 3"}, {"id": "4", "title": "\u2b50\u2b50\u2b50\u2b50 4"}, {"id": "5", "title": "\u2b50\u2b50\u2b50\u2b50\u2b50 5"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 58, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (86, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "text", "text": {"body": "How likely are you to recommend Miga to a friend?\n\n(Reply with a number from 0 to 10.)", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 59, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (87, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "text", "text": {"body": "Sorry we fell short. What should we do better?", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 60, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (88, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Anything else you would like to tell us?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "skip", "title": "Skip"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 61, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (89, '34611000008', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000008", "type": "text", "text": {"body": "Thank you! Your answers help us bake better. \ud83e\uddc1", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 62, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (90, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 63, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (91, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "You won''t get offers from Miga Bakery any more. Send START to get them again.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 64, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (92, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Send *menu* for the menu, *orders* to track an order, *cart* to see your cart, *my bookings* for your bookings, *language* to change the language, or *person* to talk to someone.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 65, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (93, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 65, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (94, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "You have no orders yet. Send *shop* to see our products.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 66, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (95, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 67, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (96, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Your cart is empty.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 68, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (97, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 68, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (98, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 68, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (99, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 69, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (100, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which service would you like to book?"}, "action": {"button": "Services", "sections": [{"rows": [{"id": "svc:wedding", "title": "Wedding consultation", "description": "1 h"}, {"id": "svc:tasting", "title": "Cake tasting", "description": "30 min \u00b7 \u20ac15.00"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 70, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (101, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Tap a service in the list above, or type its name.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.12', NULL, 70, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (113, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 78, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (102, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.13', NULL, 71, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (103, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.14', NULL, 72, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (104, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.15', NULL, 72, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (105, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Which service would you like to book?"}, "action": {"button": "Services", "sections": [{"rows": [{"id": "svc:wedding", "title": "Wedding consultation", "description": "1 h"}, {"id": "svc:tasting", "title": "Cake tasting", "description": "30 min \u00b7 \u20ac15.00"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.16', NULL, 73, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (106, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Tap a service in the list above, or type its name.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.17', NULL, 73, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (107, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.18', NULL, 74, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (108, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.19', NULL, 75, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (109, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.20', NULL, 75, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (110, '34611000009', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000009", "type": "text", "text": {"body": "You have no orders yet. Send *shop* to see our products.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.21', NULL, 76, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (111, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 77, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (112, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 78, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (114, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Cakes: tap *Products* to choose."}, "action": {"button": "Products", "sections": [{"rows": [{"id": "prod:choc", "title": "Chocolate fudge cake", "description": "\u20ac32.00 \u00b7 Dark chocolate sponge, fudge icing"}, {"id": "prod:lemon", "title": "Lemon drizzle cake", "description": "\u20ac26.00 \u00b7 4 left \u00b7 Lemon sponge soaked in lemon syrup"}, {"id": "prod:carrot", "title": "Carrot cake", "description": "\u20ac28.00 \u00b7 2 left \u00b7 Walnuts, cinnamon, cream cheese frosting"}, {"id": "prod:basque", "title": "Basque cheesecake", "description": "\u20ac30.00 \u00b7 Burnt top, creamy middle; baked to order"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 79, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (115, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "Tap *Products* to choose one, or type *back* for the categories.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 79, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (116, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "image", "image": {"link": "https://miga.example/img/lemon-drizzle.jpg", "caption": "*Lemon drizzle cake*\n\u20ac26.00\nLemon sponge soaked in lemon syrup\n4 left"}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 80, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (117, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "How many would you like? Send a number from 1 to 4.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 80, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (118, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "The quantity must be at least 1 (at most 4).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 81, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (119, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "Please send the quantity as a number from 1 to 4, for example 2.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 82, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (120, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "button", "body": {"text": "2 \u00d7 Lemon drizzle cake \u2014 \u20ac52.00\nSubtotal: \u20ac52.00"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "checkout", "title": "Checkout"}}, {"type": "reply", "reply": {"id": "more", "title": "Keep shopping"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 83, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (121, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Would you like to pick up your order or have it delivered?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "pickup", "title": "Pickup"}}, {"type": "reply", "reply": {"id": "delivery", "title": "Delivery"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 84, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (122, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Where should we deliver?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "type", "title": "Type address"}}, {"type": "reply", "reply": {"id": "share", "title": "Share location"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.12', NULL, 85, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (123, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "Please type the delivery address (street, number, city).", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.13', NULL, 86, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (124, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "interactive", "interactive": {"type": "button", "header": {"type": "text", "text": "Your order"}, "body": {"text": "2 \u00d7 Lemon drizzle cake \u2014 \u20ac52.00\nDelivery: free\nTotal: \u20ac52.00\nDeliver to: Calle de Hortaleza 10, 28004 Madrid"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "place", "title": "Place order"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}, {"type": "reply", "reply": {"id": "drop", "title": "Not now"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.14', NULL, 87, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (125, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "To confirm order MG-ZAW3A, please send \u20ac52.00 by Bizum to +34 600 000 000, or by bank transfer to ES12 3456 7890 1234 5678 9012 with MG-ZAW3A as the reference.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.15', NULL, 88, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (126, '34611000010', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000010", "type": "text", "text": {"body": "Your order number is *MG-ZAW3A*. We''ll confirm here as soon as your payment arrives. Send *orders* any time to track it.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.16', NULL, 88, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (127, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 89, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (128, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 89, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (130, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "Tap *Products* to choose one, or type *back* for the categories.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 90, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (129, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Treats: tap *Products* to choose."}, "action": {"button": "Products", "sections": [{"rows": [{"id": "prod:cookies", "title": "Cookie box", "description": "\u20ac14.00 \u00b7 A dozen butter, oat and chocolate chip cookies"}, {"id": "prod:croissants", "title": "Croissant box", "description": "\u20ac12.50 \u00b7 Six all-butter croissants, baked each morning"}]}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 90, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (131, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "*Croissant box*\n\u20ac12.50\nSix all-butter croissants, baked each morning", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 91, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (132, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "How many would you like? Send a number from 1 to 50.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.6', NULL, 91, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (133, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "interactive", "interactive": {"type": "button", "body": {"text": "1 \u00d7 Croissant box \u2014 \u20ac12.50\nSubtotal: \u20ac12.50"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "checkout", "title": "Checkout"}}, {"type": "reply", "reply": {"id": "more", "title": "Keep shopping"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 92, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (134, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "interactive", "interactive": {"type": "button", "body": {"text": "Would you like to pick up your order or have it delivered?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "pickup", "title": "Pickup"}}, {"type": "reply", "reply": {"id": "delivery", "title": "Delivery"}}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 93, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (135, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "When would you like to pick it up? Send a day and a time within our opening hours, like *tomorrow 11:00*.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 94, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (136, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "We are closed on Mondays. Please choose another day.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.10', NULL, 95, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (137, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "We are closed on Tuesday 8 December (holiday). Please choose another day.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.11', NULL, 96, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (138, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "text", "text": {"body": "On Wednesday 9 December we are open 10:00-14:00, 16:00-19:00. Please choose a time then.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.12', NULL, 97, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (139, '34611000011', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000011", "type": "interactive", "interactive": {"type": "button", "header": {"type": "text", "text": "Your order"}, "body": {"text": "1 \u00d7 Croissant box \u2014 \u20ac12.50\nPickup at Calle de Fuencarral 45, 28004 Madrid\nWhen: Wed 9 Dec at 16:00\nTotal: \u20ac12.50"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "place", "title": "Place order"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}, {"type": "reply", "reply": {"id": "drop", "title": "Not now"}}]}}}', 'sent', NULL, NULL, 1, '2026-12-06 09:02:00+00', NULL, 'wamid.sandbox.13', NULL, 98, '2026-12-06 09:00:00+00', '2026-12-06 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (140, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Welcome to Miga Bakery! What would you like to see?"}, "action": {"button": "Categories", "sections": [{"rows": [{"id": "cat:cakes", "title": "Cakes", "description": "Whole cakes for 8 to 10 people"}, {"id": "cat:treats", "title": "Treats", "description": "Cookies and pastries by the box"}, {"id": "cat:recipes", "title": "Recipes & classes", "description": "Sent here right after payment"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 99, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (141, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "text", "text": {"body": "Tap *Categories* to browse, or type *cart* to see your cart.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 99, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (142, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Recipes & classes: tap *Products* to choose."}, "action": {"button": "Products", "sections": [{"rows": [{"id": "prod:book", "title": "Miga recipe book", "description": "\u20ac9.90 \u00b7 Our 40 best recipes as a PDF"}, {"id": "prod:class", "title": "Sourdough video class", "description": "\u20ac19.00 \u00b7 Two hours with our head baker, watch any time"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, 100, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (143, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "text", "text": {"body": "Tap *Products* to choose one, or type *back* for the categories.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.4', NULL, 100, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (144, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "text", "text": {"body": "*Miga recipe book*\n\u20ac9.90\nOur 40 best recipes as a PDF\nDigital product: sent here right after payment.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.5', NULL, 101, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (146, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "interactive", "interactive": {"type": "button", "header": {"type": "text", "text": "Your order"}, "body": {"text": "1 \u00d7 Miga recipe book \u2014 \u20ac9.90\nTotal: \u20ac9.90"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "place", "title": "Place order"}}, {"type": "reply", "reply": {"id": "change", "title": "Change cart"}}, {"type": "reply", "reply": {"id": "drop", "title": "Not now"}}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.7', NULL, 102, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (147, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "text", "text": {"body": "To confirm order MG-VK2UB, please send \u20ac9.90 by Bizum to +34 600 000 000, or by bank transfer to ES12 3456 7890 1234 5678 9012 with MG-VK2UB as the reference.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.8', NULL, 103, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (148, '34611000012', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000012", "type": "text", "text": {"body": "Your order number is *MG-VK2UB*. Your download is sent here as soon as your payment arrives. Send *orders* any time to track it.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.9', NULL, 103, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (149, '34611000013', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000013", "type": "interactive", "interactive": {"type": "list", "body": {"text": "Hi Lucia! Welcome to Miga Bakery \ud83e\udd50 How can I help you?"}, "action": {"button": "Menu", "sections": [{"rows": [{"id": "shop", "title": "Order cakes & treats", "description": "Browse the catalog and order"}, {"id": "track", "title": "Track my order"}, {"id": "book", "title": "Wedding cakes & tastings", "description": "Book a consultation or a cake tasting"}, {"id": "allergens", "title": "Allergens", "description": "What is in each cake"}, {"id": "delivery", "title": "Do you deliver to me?", "description": "Check your postcode"}, {"id": "feedback", "title": "Give feedback"}, {"id": "person", "title": "Talk to a person", "description": "Someone from the bakery will answer here"}]}]}}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.1', NULL, 104, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (150, '34611000013', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34611000013", "type": "text", "text": {"body": "I''m passing you to someone from the bakery. They''ll answer here as soon as they can.", "preview_url": false}}', 'sent', NULL, NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.2', NULL, 105, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_outbox (id, wa_id, payload, state, category, fallback, attempts, next_attempt_at, lease, wamid, last_error, inbound_id, created_at, sent_at) VALUES (151, '34600000001', '{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "34600000001", "type": "template", "template": {"name": "staff_handoff", "language": {"code": "en_GB"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Lucia"}, {"type": "text", "text": "+34611000013"}, {"type": "text", "text": "Talk to a person"}]}]}}', 'sent', 'utility', NULL, 1, '2026-03-03 09:02:00+00', NULL, 'wamid.sandbox.3', NULL, NULL, '2026-03-03 09:00:00+00', '2026-03-03 09:00:00+00');


--
-- Data for Name: waflow_payment_event; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_privacy_purge; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_privacy_request; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_read_receipt; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_saved_reply; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_staff_reply; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_staff_session; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_staff_user; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_status; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_stock; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_stock (product_id, quantity, updated_at) VALUES ('choc', 6, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_stock (product_id, quantity, updated_at) VALUES ('carrot', 2, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_stock (product_id, quantity, updated_at) VALUES ('lemon', 2, '2026-03-03 09:00:00+00');


--
-- Data for Name: waflow_survey_answer; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (1, 1, 'feedback', 'stars', 'rating', 5, NULL, false);
INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (2, 1, 'feedback', 'nps', 'nps', 10, NULL, false);
INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (3, 1, 'feedback', 'comment', 'text', NULL, 'The lemon drizzle was perfect', false);
INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (4, 2, 'feedback', 'stars', 'rating', 2, NULL, false);
INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (5, 2, 'feedback', 'nps', 'nps', 4, NULL, false);
INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (6, 2, 'feedback', 'improve', 'text', NULL, 'The cake arrived an hour late', false);
INSERT INTO public.waflow_survey_answer (id, response_id, survey, question, kind, value_int, value_text, skipped) VALUES (7, 2, 'feedback', 'comment', 'text', NULL, NULL, true);


--
-- Data for Name: waflow_survey_invite; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: waflow_survey_response; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.waflow_survey_response (id, survey, wa_id, once_key, source, ref, completed_at) VALUES (1, 'feedback', '34611000007', '34611000007', NULL, NULL, '2026-03-03 09:00:00+00');
INSERT INTO public.waflow_survey_response (id, survey, wa_id, once_key, source, ref, completed_at) VALUES (2, 'feedback', '34611000008', '34611000008', NULL, NULL, '2026-03-03 09:00:00+00');


--
-- Name: waflow_audit_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_audit_event_id_seq', 1, false);


--
-- Name: waflow_booking_cell_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_booking_cell_id_seq', 12, true);


--
-- Name: waflow_booking_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_booking_id_seq', 1, true);


--
-- Name: waflow_broadcast_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_broadcast_id_seq', 1, false);


--
-- Name: waflow_broadcast_recipient_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_broadcast_recipient_id_seq', 1, false);


--
-- Name: waflow_cart_line_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_cart_line_id_seq', 5, true);


--
-- Name: waflow_consent_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_consent_event_id_seq', 1, true);


--
-- Name: waflow_console_secret_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_console_secret_id_seq', 1, false);


--
-- Name: waflow_contact_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_contact_id_seq', 13, true);


--
-- Name: waflow_conversation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_conversation_id_seq', 13, true);


--
-- Name: waflow_customer_tag_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_customer_tag_id_seq', 1, false);


--
-- Name: waflow_flow_step_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_flow_step_id_seq', 205, true);


--
-- Name: waflow_handoff_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_handoff_event_id_seq', 2, true);


--
-- Name: waflow_inbound_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_inbound_id_seq', 106, true);


--
-- Name: waflow_inbox_note_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_inbox_note_id_seq', 1, false);


--
-- Name: waflow_inbox_thread_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_inbox_thread_id_seq', 1, false);


--
-- Name: waflow_order_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_order_event_id_seq', 2, true);


--
-- Name: waflow_order_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_order_id_seq', 2, true);


--
-- Name: waflow_order_line_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_order_line_id_seq', 2, true);


--
-- Name: waflow_outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_outbox_id_seq', 151, true);


--
-- Name: waflow_payment_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_payment_event_id_seq', 1, false);


--
-- Name: waflow_privacy_purge_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_privacy_purge_id_seq', 1, false);


--
-- Name: waflow_privacy_request_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_privacy_request_id_seq', 1, false);


--
-- Name: waflow_read_receipt_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_read_receipt_id_seq', 1, false);


--
-- Name: waflow_saved_reply_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_saved_reply_id_seq', 1, false);


--
-- Name: waflow_staff_reply_outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_staff_reply_outbox_id_seq', 1, false);


--
-- Name: waflow_staff_session_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_staff_session_id_seq', 1, false);


--
-- Name: waflow_staff_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_staff_user_id_seq', 1, false);


--
-- Name: waflow_status_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_status_id_seq', 1, false);


--
-- Name: waflow_survey_answer_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_survey_answer_id_seq', 7, true);


--
-- Name: waflow_survey_invite_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_survey_invite_id_seq', 1, false);


--
-- Name: waflow_survey_response_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.waflow_survey_response_id_seq', 2, true);


--
-- Name: waflow_booking_cell uq_waflow_booking_cell; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_booking_cell
    ADD CONSTRAINT uq_waflow_booking_cell UNIQUE (resource, cell_start);


--
-- Name: waflow_broadcast_recipient uq_waflow_broadcast_recipient; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_broadcast_recipient
    ADD CONSTRAINT uq_waflow_broadcast_recipient UNIQUE (broadcast_id, wa_id);


--
-- Name: waflow_cart_line uq_waflow_cart_line; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_cart_line
    ADD CONSTRAINT uq_waflow_cart_line UNIQUE (wa_id, product_id);


--
-- Name: waflow_customer_tag uq_waflow_customer_tag; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_customer_tag
    ADD CONSTRAINT uq_waflow_customer_tag UNIQUE (wa_id, tag);


--
-- Name: waflow_payment_event uq_waflow_payment_event; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_payment_event
    ADD CONSTRAINT uq_waflow_payment_event UNIQUE (provider, event_id);


--
-- Name: waflow_status uq_waflow_status_wamid; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_status
    ADD CONSTRAINT uq_waflow_status_wamid UNIQUE (wamid);


--
-- Name: waflow_survey_answer uq_waflow_survey_answer; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_answer
    ADD CONSTRAINT uq_waflow_survey_answer UNIQUE (response_id, question);


--
-- Name: waflow_survey_invite uq_waflow_survey_invite; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_invite
    ADD CONSTRAINT uq_waflow_survey_invite UNIQUE (survey, wa_id, ref);


--
-- Name: waflow_survey_response uq_waflow_survey_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_response
    ADD CONSTRAINT uq_waflow_survey_once UNIQUE (survey, once_key);


--
-- Name: waflow_audit_event waflow_audit_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_audit_event
    ADD CONSTRAINT waflow_audit_event_pkey PRIMARY KEY (id);


--
-- Name: waflow_booking_cell waflow_booking_cell_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_booking_cell
    ADD CONSTRAINT waflow_booking_cell_pkey PRIMARY KEY (id);


--
-- Name: waflow_booking waflow_booking_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_booking
    ADD CONSTRAINT waflow_booking_pkey PRIMARY KEY (id);


--
-- Name: waflow_broadcast waflow_broadcast_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_broadcast
    ADD CONSTRAINT waflow_broadcast_pkey PRIMARY KEY (id);


--
-- Name: waflow_broadcast_recipient waflow_broadcast_recipient_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_broadcast_recipient
    ADD CONSTRAINT waflow_broadcast_recipient_pkey PRIMARY KEY (id);


--
-- Name: waflow_cart_line waflow_cart_line_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_cart_line
    ADD CONSTRAINT waflow_cart_line_pkey PRIMARY KEY (id);


--
-- Name: waflow_consent_event waflow_consent_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_consent_event
    ADD CONSTRAINT waflow_consent_event_pkey PRIMARY KEY (id);


--
-- Name: waflow_console_secret waflow_console_secret_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_console_secret
    ADD CONSTRAINT waflow_console_secret_pkey PRIMARY KEY (id);


--
-- Name: waflow_contact waflow_contact_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_contact
    ADD CONSTRAINT waflow_contact_pkey PRIMARY KEY (id);


--
-- Name: waflow_contact waflow_contact_wa_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_contact
    ADD CONSTRAINT waflow_contact_wa_id_key UNIQUE (wa_id);


--
-- Name: waflow_conversation waflow_conversation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_conversation
    ADD CONSTRAINT waflow_conversation_pkey PRIMARY KEY (id);


--
-- Name: waflow_conversation waflow_conversation_wa_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_conversation
    ADD CONSTRAINT waflow_conversation_wa_id_key UNIQUE (wa_id);


--
-- Name: waflow_customer_tag waflow_customer_tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_customer_tag
    ADD CONSTRAINT waflow_customer_tag_pkey PRIMARY KEY (id);


--
-- Name: waflow_flow_step waflow_flow_step_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_flow_step
    ADD CONSTRAINT waflow_flow_step_pkey PRIMARY KEY (id);


--
-- Name: waflow_handoff_event waflow_handoff_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_handoff_event
    ADD CONSTRAINT waflow_handoff_event_pkey PRIMARY KEY (id);


--
-- Name: waflow_inbound waflow_inbound_dedupe_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbound
    ADD CONSTRAINT waflow_inbound_dedupe_key_key UNIQUE (dedupe_key);


--
-- Name: waflow_inbound waflow_inbound_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbound
    ADD CONSTRAINT waflow_inbound_pkey PRIMARY KEY (id);


--
-- Name: waflow_inbox_note waflow_inbox_note_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbox_note
    ADD CONSTRAINT waflow_inbox_note_pkey PRIMARY KEY (id);


--
-- Name: waflow_inbox_thread waflow_inbox_thread_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbox_thread
    ADD CONSTRAINT waflow_inbox_thread_pkey PRIMARY KEY (id);


--
-- Name: waflow_inbox_thread waflow_inbox_thread_wa_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_inbox_thread
    ADD CONSTRAINT waflow_inbox_thread_wa_id_key UNIQUE (wa_id);


--
-- Name: waflow_order_event waflow_order_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order_event
    ADD CONSTRAINT waflow_order_event_pkey PRIMARY KEY (id);


--
-- Name: waflow_order_line waflow_order_line_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order_line
    ADD CONSTRAINT waflow_order_line_pkey PRIMARY KEY (id);


--
-- Name: waflow_order waflow_order_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order
    ADD CONSTRAINT waflow_order_number_key UNIQUE (number);


--
-- Name: waflow_order waflow_order_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order
    ADD CONSTRAINT waflow_order_pkey PRIMARY KEY (id);


--
-- Name: waflow_outbox waflow_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_outbox
    ADD CONSTRAINT waflow_outbox_pkey PRIMARY KEY (id);


--
-- Name: waflow_payment_event waflow_payment_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_payment_event
    ADD CONSTRAINT waflow_payment_event_pkey PRIMARY KEY (id);


--
-- Name: waflow_privacy_purge waflow_privacy_purge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_privacy_purge
    ADD CONSTRAINT waflow_privacy_purge_pkey PRIMARY KEY (id);


--
-- Name: waflow_privacy_request waflow_privacy_request_link_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_privacy_request
    ADD CONSTRAINT waflow_privacy_request_link_hash_key UNIQUE (link_hash);


--
-- Name: waflow_privacy_request waflow_privacy_request_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_privacy_request
    ADD CONSTRAINT waflow_privacy_request_pkey PRIMARY KEY (id);


--
-- Name: waflow_read_receipt waflow_read_receipt_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_read_receipt
    ADD CONSTRAINT waflow_read_receipt_pkey PRIMARY KEY (id);


--
-- Name: waflow_saved_reply waflow_saved_reply_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_saved_reply
    ADD CONSTRAINT waflow_saved_reply_pkey PRIMARY KEY (id);


--
-- Name: waflow_staff_reply waflow_staff_reply_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_reply
    ADD CONSTRAINT waflow_staff_reply_pkey PRIMARY KEY (outbox_id);


--
-- Name: waflow_staff_session waflow_staff_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_session
    ADD CONSTRAINT waflow_staff_session_pkey PRIMARY KEY (id);


--
-- Name: waflow_staff_session waflow_staff_session_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_session
    ADD CONSTRAINT waflow_staff_session_token_hash_key UNIQUE (token_hash);


--
-- Name: waflow_staff_user waflow_staff_user_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_user
    ADD CONSTRAINT waflow_staff_user_email_key UNIQUE (email);


--
-- Name: waflow_staff_user waflow_staff_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_user
    ADD CONSTRAINT waflow_staff_user_pkey PRIMARY KEY (id);


--
-- Name: waflow_status waflow_status_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_status
    ADD CONSTRAINT waflow_status_pkey PRIMARY KEY (id);


--
-- Name: waflow_stock waflow_stock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_stock
    ADD CONSTRAINT waflow_stock_pkey PRIMARY KEY (product_id);


--
-- Name: waflow_survey_answer waflow_survey_answer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_answer
    ADD CONSTRAINT waflow_survey_answer_pkey PRIMARY KEY (id);


--
-- Name: waflow_survey_invite waflow_survey_invite_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_invite
    ADD CONSTRAINT waflow_survey_invite_pkey PRIMARY KEY (id);


--
-- Name: waflow_survey_response waflow_survey_response_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_response
    ADD CONSTRAINT waflow_survey_response_pkey PRIMARY KEY (id);


--
-- Name: ix_waflow_audit_event_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_audit_event_at ON public.waflow_audit_event USING btree (at);


--
-- Name: ix_waflow_audit_event_staff_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_audit_event_staff_id ON public.waflow_audit_event USING btree (staff_id);


--
-- Name: ix_waflow_booking_cell_booking_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_booking_cell_booking_id ON public.waflow_booking_cell USING btree (booking_id);


--
-- Name: ix_waflow_booking_start_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_booking_start_at ON public.waflow_booking USING btree (start_at);


--
-- Name: ix_waflow_booking_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_booking_wa_id ON public.waflow_booking USING btree (wa_id);


--
-- Name: ix_waflow_broadcast_recipient_broadcast_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_broadcast_recipient_broadcast_id ON public.waflow_broadcast_recipient USING btree (broadcast_id);


--
-- Name: ix_waflow_broadcast_recipient_outbox_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_broadcast_recipient_outbox_id ON public.waflow_broadcast_recipient USING btree (outbox_id);


--
-- Name: ix_waflow_broadcast_recipient_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_broadcast_recipient_wa_id ON public.waflow_broadcast_recipient USING btree (wa_id);


--
-- Name: ix_waflow_broadcast_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_broadcast_state ON public.waflow_broadcast USING btree (state);


--
-- Name: ix_waflow_cart_line_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_cart_line_wa_id ON public.waflow_cart_line USING btree (wa_id);


--
-- Name: ix_waflow_consent_event_wa_id_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_consent_event_wa_id_at ON public.waflow_consent_event USING btree (wa_id, at);


--
-- Name: ix_waflow_contact_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_contact_user_id ON public.waflow_contact USING btree (user_id);


--
-- Name: ix_waflow_customer_tag_tag; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_customer_tag_tag ON public.waflow_customer_tag USING btree (tag);


--
-- Name: ix_waflow_customer_tag_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_customer_tag_wa_id ON public.waflow_customer_tag USING btree (wa_id);


--
-- Name: ix_waflow_flow_step_flow_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_flow_step_flow_at ON public.waflow_flow_step USING btree (flow, at);


--
-- Name: ix_waflow_handoff_event_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_handoff_event_at ON public.waflow_handoff_event USING btree (at);


--
-- Name: ix_waflow_handoff_event_wa_id_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_handoff_event_wa_id_at ON public.waflow_handoff_event USING btree (wa_id, at);


--
-- Name: ix_waflow_inbound_pending; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_inbound_pending ON public.waflow_inbound USING btree (wa_id, state, id);


--
-- Name: ix_waflow_inbox_note_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_inbox_note_wa_id ON public.waflow_inbox_note USING btree (wa_id);


--
-- Name: ix_waflow_order_event_order_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_order_event_order_id ON public.waflow_order_event USING btree (order_id);


--
-- Name: ix_waflow_order_expiry; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_order_expiry ON public.waflow_order USING btree (status, expires_at);


--
-- Name: ix_waflow_order_line_order_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_order_line_order_id ON public.waflow_order_line USING btree (order_id);


--
-- Name: ix_waflow_order_payment_reference; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_order_payment_reference ON public.waflow_order USING btree (payment_reference);


--
-- Name: ix_waflow_order_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_order_wa_id ON public.waflow_order USING btree (wa_id);


--
-- Name: ix_waflow_outbox_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_outbox_due ON public.waflow_outbox USING btree (state, next_attempt_at);


--
-- Name: ix_waflow_outbox_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_outbox_wa_id ON public.waflow_outbox USING btree (wa_id);


--
-- Name: ix_waflow_outbox_wamid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_outbox_wamid ON public.waflow_outbox USING btree (wamid);


--
-- Name: ix_waflow_privacy_request_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_privacy_request_state ON public.waflow_privacy_request USING btree (state, kind);


--
-- Name: ix_waflow_privacy_request_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_privacy_request_wa_id ON public.waflow_privacy_request USING btree (wa_id);


--
-- Name: ix_waflow_staff_session_staff_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_staff_session_staff_id ON public.waflow_staff_session USING btree (staff_id);


--
-- Name: ix_waflow_survey_answer_response_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_survey_answer_response_id ON public.waflow_survey_answer USING btree (response_id);


--
-- Name: ix_waflow_survey_answer_survey; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_survey_answer_survey ON public.waflow_survey_answer USING btree (survey);


--
-- Name: ix_waflow_survey_invite_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_survey_invite_wa_id ON public.waflow_survey_invite USING btree (wa_id);


--
-- Name: ix_waflow_survey_response_survey; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_survey_response_survey ON public.waflow_survey_response USING btree (survey);


--
-- Name: ix_waflow_survey_response_wa_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_waflow_survey_response_wa_id ON public.waflow_survey_response USING btree (wa_id);


--
-- Name: waflow_booking_cell waflow_booking_cell_booking_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_booking_cell
    ADD CONSTRAINT waflow_booking_cell_booking_id_fkey FOREIGN KEY (booking_id) REFERENCES public.waflow_booking(id) ON DELETE CASCADE;


--
-- Name: waflow_broadcast_recipient waflow_broadcast_recipient_broadcast_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_broadcast_recipient
    ADD CONSTRAINT waflow_broadcast_recipient_broadcast_id_fkey FOREIGN KEY (broadcast_id) REFERENCES public.waflow_broadcast(id) ON DELETE CASCADE;


--
-- Name: waflow_order_event waflow_order_event_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order_event
    ADD CONSTRAINT waflow_order_event_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.waflow_order(id) ON DELETE CASCADE;


--
-- Name: waflow_order_line waflow_order_line_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_order_line
    ADD CONSTRAINT waflow_order_line_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.waflow_order(id) ON DELETE CASCADE;


--
-- Name: waflow_staff_session waflow_staff_session_staff_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_staff_session
    ADD CONSTRAINT waflow_staff_session_staff_id_fkey FOREIGN KEY (staff_id) REFERENCES public.waflow_staff_user(id) ON DELETE CASCADE;


--
-- Name: waflow_survey_answer waflow_survey_answer_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.waflow_survey_answer
    ADD CONSTRAINT waflow_survey_answer_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.waflow_survey_response(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict q2B7TJVJ1tedbc3PrfzSGhTF7HptU5g2vneczUJnn68sETgwU0JBAmpFRsWN6B0

