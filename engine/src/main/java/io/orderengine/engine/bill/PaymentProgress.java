package io.orderengine.engine.bill;

/** The gateway's first answer about a payment, as its saga gives it to the bill: the QR link to show, if any. */
public record PaymentProgress(String qrCodeUrl) {}
