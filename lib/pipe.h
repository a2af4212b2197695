/* pipe.h — a bounded blocking queue of pointers between threads, for pipelines whose
 * stages run on their own threads (the import: parse -> hash -> insert). */
#ifndef BIMO_PIPE_H
#define BIMO_PIPE_H

#include <pthread.h>

#define BIMO_PIPE_SLOTS 8

typedef struct bimo_pipe {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    void *slots[BIMO_PIPE_SLOTS];
    int head, count;
    int closed; /* no more pushes: pops drain what is left, then return NULL */
} bimo_pipe;

void bimo_pipe_init(bimo_pipe *p);
void bimo_pipe_destroy(bimo_pipe *p);

/* Waits for room and appends item. Returns -1 (item not taken) if the pipe is closed. */
int bimo_pipe_push(bimo_pipe *p, void *item);

/* Waits for an item; NULL once the pipe is closed and empty. */
void *bimo_pipe_pop(bimo_pipe *p);

/* Ends the pipe: waiting pushers fail, poppers drain and then get NULL. */
void bimo_pipe_close(bimo_pipe *p);

#endif
