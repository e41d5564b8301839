/*
 * startup.c — vector table and reset handler of the C reference pen on a Cortex-M3
 * (no vendor SDK): copy .data from flash, zero .bss, call main. Every fault stops in a
 * loop; the one interrupt used is UART0's (IRQ 5 of the LM3S6965), handled in the port.
 */
#include <stdint.h>

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_top;
extern int main(void);

void reset_handler(void);
void fault_handler(void);
void uart0_handler(void);

void fault_handler(void) {
    for (;;) {
    }
}

void reset_handler(void) {
    uint32_t *src = &_data_load;
    for (uint32_t *dst = &_data_start; dst < &_data_end;) *dst++ = *src++;
    for (uint32_t *dst = &_bss_start; dst < &_bss_end;) *dst++ = 0;
    main();
    for (;;) {
    }
}

/* The 16 system exceptions (initial stack pointer, reset, NMI, hard fault, MPU, bus and
 * usage faults, reserved, SVCall, debug, reserved, PendSV, SysTick), then IRQs 0-5
 * (GPIO A-E, UART0). */
__attribute__((section(".isr_vector"), used)) static const uintptr_t vectors[16 + 6] = {
    (uintptr_t)&_stack_top,    (uintptr_t)reset_handler, (uintptr_t)fault_handler,
    (uintptr_t)fault_handler,  (uintptr_t)fault_handler, (uintptr_t)fault_handler,
    (uintptr_t)fault_handler,  0,                        0,
    0,                         0,                        (uintptr_t)fault_handler,
    (uintptr_t)fault_handler,  0,                        (uintptr_t)fault_handler,
    (uintptr_t)fault_handler,  (uintptr_t)fault_handler, (uintptr_t)fault_handler,
    (uintptr_t)fault_handler,  (uintptr_t)fault_handler, (uintptr_t)fault_handler,
    (uintptr_t)uart0_handler,
};
