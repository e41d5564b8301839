/*
 * port_lm3s6965.c — the C reference pen on a bare Stellaris LM3S6965 (Cortex-M3), for QEMU's
 * lm3s6965evb machine: the pen speaks on UART0 (an ARM PL011 at 0x4000C000), which QEMU
 * connects to a host pty with `-serial pty`.
 *
 *     qemu-system-arm -M lm3s6965evb -kernel pen.elf -serial pty -nographic -monitor none
 *
 * Configuration block: the one firmware setting scenarios override (the single-use running
 * time per cartridge, s) can be written, before the CPU starts, into the last 256 bytes of
 * SRAM, which startup leaves alone (QEMU's loader device cannot write into flash): the magic
 * word "NBCF" (0x4643424E) at 0x2000FF00 and the limit in seconds at 0x2000FF04. With QEMU:
 *
 *     -device loader,addr=0x2000FF00,data=0x4643424E,data-len=4
 *     -device loader,addr=0x2000FF04,data={cartridge_limit_s},data-len=4
 *
 * Without the magic word the shipped configuration is used.
 *
 * Lockstep only: the firmware runs when the bench grants a tick, so the pen needs no timer
 * and its behaviour does not depend on how fast QEMU emulates it. (A real-time session is
 * answered, but no tick runs without a clock: this port has none.)
 *
 * Receiving is interrupt-driven, as on a real board: the UART0 interrupt drains the PL011's
 * receive FIFO into a ring buffer; the main loop sleeps (WFI) while the ring is empty, so
 * the emulated CPU idles instead of spinning, and feeds what arrived to the pen. Sending
 * waits on the transmit FIFO.
 */
#include <stddef.h>
#include <stdint.h>

#include "pen.h"

#define UART0_BASE 0x4000C000u
#define UART_REG(offset) (*(volatile uint32_t *)(UART0_BASE + (offset)))
#define UART_DR UART_REG(0x000u)
#define UART_FR UART_REG(0x018u)
#define UART_LCRH UART_REG(0x02Cu)
#define UART_CTL UART_REG(0x030u)
#define UART_IM UART_REG(0x038u)
#define UART_ICR UART_REG(0x044u)
#define FR_RXFE (1u << 4)    /* receive FIFO empty */
#define FR_TXFF (1u << 5)    /* transmit FIFO full */
#define LCRH_FEN (1u << 4)   /* FIFOs on */
#define LCRH_WLEN8 (3u << 5) /* 8 data bits, no parity, 1 stop bit */
#define CTL_UARTEN (1u << 0)
#define CTL_TXE (1u << 8)
#define CTL_RXE (1u << 9)
#define IM_RX (1u << 4) /* receive interrupt */
#define IM_RT (1u << 6) /* receive timeout interrupt */
#define CONFIG_MAGIC (*(volatile const uint32_t *)0x2000FF00u)
#define CONFIG_CARTRIDGE_LIMIT_S (*(volatile const uint32_t *)0x2000FF04u)
#define CONFIG_MAGIC_VALUE 0x4643424Eu /* "NBCF", little-endian */
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define UART0_IRQ 5u

/* Single-producer (interrupt), single-consumer (main loop) ring of received bytes. */
#define RX_RING_LEN 1024u
static volatile uint8_t rx_ring[RX_RING_LEN];
static volatile uint32_t rx_head; /* written by the interrupt */
static volatile uint32_t rx_tail; /* written by the main loop */

void uart0_handler(void);

void uart0_handler(void) {
    /* Clear first, then drain: a byte that lands after the last FIFO check raises the
     * interrupt again. (Clearing after the drain could wipe that byte's interrupt, and the
     * PL011 raises the next one only when the FIFO refills from empty: the pen would sleep
     * with bytes waiting.) */
    UART_ICR = IM_RX | IM_RT;
    while (!(UART_FR & FR_RXFE)) {
        uint8_t byte = (uint8_t)UART_DR;
        uint32_t head = rx_head;
        if (head - rx_tail < RX_RING_LEN) { /* full: drop, the bench re-sends */
            rx_ring[head % RX_RING_LEN] = byte;
            rx_head = head + 1u;
        }
    }
}

static void uart_init(void) {
    UART_CTL = 0;
    UART_LCRH = LCRH_FEN | LCRH_WLEN8;
    UART_IM = IM_RX | IM_RT;
    UART_CTL = CTL_UARTEN | CTL_TXE | CTL_RXE;
    NVIC_ISER0 = 1u << UART0_IRQ;
}

static void emit(void *ctx, const uint8_t *frame, size_t len) {
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        while (UART_FR & FR_TXFF) {
        }
        UART_DR = frame[i];
    }
}

int main(void) {
    static pen p;
    uint8_t in[128];
    pen_fw_config config = pen_fw_default_config();
    if (CONFIG_MAGIC == CONFIG_MAGIC_VALUE && CONFIG_CARTRIDGE_LIMIT_S != 0) {
        config.cartridge_max_run_s = CONFIG_CARTRIDGE_LIMIT_S;
    }
    uart_init();
    if (pen_init(&p, &config, emit, NULL) != 0) {
        for (;;) {
        }
    }
    for (;;) {
        /* Sleep until a byte arrives. Interrupts are masked between the check and WFI so
         * that one arriving in between wakes the WFI instead of being missed. */
        __asm__ volatile("cpsid i" ::: "memory");
        while (rx_head == rx_tail) {
            __asm__ volatile("wfi" ::: "memory");
            __asm__ volatile("cpsie i\n\tisb\n\tcpsid i" ::: "memory");
        }
        __asm__ volatile("cpsie i" ::: "memory");
        size_t n = 0;
        uint32_t tail = rx_tail;
        while (n < sizeof in && tail != rx_head) in[n++] = rx_ring[tail++ % RX_RING_LEN];
        rx_tail = tail;
        pen_on_bytes(&p, in, n, 0);
    }
}
