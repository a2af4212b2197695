/* pipe.c — bounded blocking queue between pipeline threads (one mutex, one condition). */
#include "pipe.h"

void bimo_pipe_init(bimo_pipe *p)
{
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->head = p->count = p->closed = 0;
}

void bimo_pipe_destroy(bimo_pipe *p)
{
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
}

int bimo_pipe_push(bimo_pipe *p, void *item)
{
    pthread_mutex_lock(&p->lock);
    while (p->count == BIMO_PIPE_SLOTS && !p->closed)
        pthread_cond_wait(&p->changed, &p->lock);
    int rc = -1;
    if (!p->closed) {
        p->slots[(p->head + p->count) % BIMO_PIPE_SLOTS] = item;
        p->count++;
        rc = 0;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void *bimo_pipe_pop(bimo_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->count == 0 && !p->closed)
        pthread_cond_wait(&p->changed, &p->lock);
    void *item = NULL;
    if (p->count) {
        item = p->slots[p->head];
        p->head = (p->head + 1) % BIMO_PIPE_SLOTS;
        p->count--;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return item;
}

void bimo_pipe_close(bimo_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = 1;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}
